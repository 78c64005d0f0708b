"""Ethereum JSON-RPC requests: the rpc-compat fixtures of ethereum/execution-apis.

ethereum/execution-apis (CC0 1.0) specifies the JSON-RPC API every Ethereum execution client
serves (src/eth/*.yaml, src/debug/*.yaml, src/txpool/*.yaml, OpenRPC) and holds the requests of
its rpc-compat test suite: tests/<method>/<case>.io, each a `// comment` describing the case, then
`>> {request}` and `<< {response}` lines (a file may hold several requests). Every `>>` line is
one item, sent as a client sends it: `POST /`, application/json, the JSON body byte for byte
(the fixtures are already compact). The operation is named in the body ("method"), not by the
HTTP method or path: an RPC-style API.

Left out: testing_buildBlockV1 requests (a testing-only method, no production traffic; the other
requests of those files are kept), engine_* (none in the suite), bodies over MAX_BODY characters
(one: a blob transaction carrying its blobs) and EXCLUDED files.
"""

import json

import registry

REPO = "ethereum/execution-apis"
COMMIT = "033ca6e69da000445840d2060ff47e5e56172a86"
TESTS = "tests"

SOURCE = {
    "name": "rpc-ethereum",
    "package": f"github:{REPO}@{COMMIT}:{TESTS}/*/*.io (the rpc-compat requests)",
    "licence": "CC0 1.0 (repository LICENSE)",
    "url": f"https://github.com/{REPO}/tree/{COMMIT}/{TESTS}",
    "label_rule": (
        "By the JSON-RPC method's documented semantics (src/eth, src/debug, src/txpool OpenRPC files). "
        "fast-path: one value or one record by key: eth_blockNumber, eth_chainId, net_version, eth_syncing, "
        "eth_gasPrice, eth_baseFee, eth_blobBaseFee, eth_maxPriorityFeePerGas, eth_config, eth_capabilities, "
        "txpool_status (two counters), eth_getBalance, eth_getCode, eth_getStorageAt, eth_getTransactionCount "
        "(one account field), eth_getTransactionByHash, eth_getTransactionReceipt, "
        "eth_getTransactionByBlockHashAndIndex/NumberAndIndex, eth_getBlockTransactionCountByHash/Number, "
        "eth_getBlockByHash/Number (one block, with or without its transactions), debug_getRawHeader, "
        "debug_getRawBlock, debug_getRawTransaction (one RLP item). general: one write or a small list: "
        "eth_sendRawTransaction (submits one transaction), eth_getBlockReceipts and debug_getRawReceipts (the "
        "receipts of one block), eth_getStorageValues (several slots of a few accounts in one call), "
        "eth_getProof (one account and the given slots, with their Merkle proofs), txpool_content and "
        "txpool_contentFrom (lists of pooled transactions), eth_getLogs with a blockHash (the logs of one "
        "block), eth_feeHistory of one block; eth_call and eth_createAccessList (one message call executed "
        "once against existing state, bounded by its gas limit: an ordinary operation, not a re-execution of "
        "blocks). high-compute: re-execution, tracing, simulation and range scans: debug_traceTransaction, "
        "debug_traceBlockByHash, debug_traceBlockByNumber (replay and trace), eth_simulateV1 (a sequence of "
        "calls over simulated blocks), eth_getLogs over a block range (fromBlock/toBlock, or the default "
        "range), eth_feeHistory of more than one block (percentiles over a block range). '?': eth_estimateGas "
        "(documented only as an estimate of the gas needed; clients search over repeated executions, so its "
        "cost lies between a call and a simulation), batch arrays and any other method. Labels follow the "
        "method as sent, also for the suite's invalid-parameter cases (which a client rejects at once)."
    ),
}

FAST = {
    "eth_blockNumber",
    "eth_chainId",
    "net_version",
    "eth_syncing",
    "eth_gasPrice",
    "eth_baseFee",
    "eth_blobBaseFee",
    "eth_maxPriorityFeePerGas",
    "eth_config",
    "eth_capabilities",
    "txpool_status",
    "eth_getBalance",
    "eth_getCode",
    "eth_getStorageAt",
    "eth_getTransactionCount",
    "eth_getTransactionByHash",
    "eth_getTransactionReceipt",
    "eth_getTransactionByBlockHashAndIndex",
    "eth_getTransactionByBlockNumberAndIndex",
    "eth_getBlockTransactionCountByHash",
    "eth_getBlockTransactionCountByNumber",
    "eth_getBlockByHash",
    "eth_getBlockByNumber",
    "debug_getRawHeader",
    "debug_getRawBlock",
    "debug_getRawTransaction",
}
GENERAL = {
    "eth_sendRawTransaction",
    "eth_getBlockReceipts",
    "debug_getRawReceipts",
    "eth_getStorageValues",
    "eth_getProof",
    "txpool_content",
    "txpool_contentFrom",
    "eth_call",
    "eth_createAccessList",
}
HEAVY = {"debug_traceTransaction", "debug_traceBlockByHash", "debug_traceBlockByNumber", "eth_simulateV1"}
SKIP_METHODS = {"testing_buildBlockV1"}  # testing-only: not traffic a production node serves

MAX_BODY = 32768  # characters; longer bodies are left out (one: send-blob-tx.io, 275 KB of blob data)
EXCLUDED = {
    # Listed in the tree at COMMIT, but its blob is absent from the mirror this source was built from;
    # left out everywhere so that every clone builds the same items.
    "tests/eth_getLogs/no-topics.io",
}
CAPS = {"fast-path": 70, "general": 60, "high-compute": 60, "?": 12}  # fast-path: all 69 distinct kept
PER_METHOD = 12  # eth_simulateV1 has 91 requests (90 distinct); no method may fill a label alone


def label(request):
    """The pool of one JSON-RPC request (a parsed body), by the rule in SOURCE["label_rule"]."""
    if not isinstance(request, dict):
        return "?"  # a batch array
    method, params = request.get("method"), request.get("params") or []
    if method in FAST:
        return "fast-path"
    if method in GENERAL:
        return "general"
    if method in HEAVY:
        return "high-compute"
    if method == "eth_getLogs":
        criteria = params[0] if params and isinstance(params[0], dict) else {}
        ranged = "fromBlock" in criteria or "toBlock" in criteria or "blockHash" not in criteria
        return "high-compute" if ranged else "general"
    if method == "eth_feeHistory":
        return "general" if params and params[0] in (1, "0x1") else "high-compute"
    return "?"


def requests(path):
    """(line number, raw body) of each `>>` request line of one .io file."""
    text = registry.github_text(REPO, COMMIT, path)
    return [(n, line[2:].strip()) for n, line in enumerate(text.split("\n"), 1) if line.startswith(">>")]


def candidates():
    """Every request of the suite the rule keeps, as corpus rows (before sampling)."""
    out = []
    for path in registry.github_paths(REPO, COMMIT, TESTS):
        if not path.endswith(".io") or path in EXCLUDED:
            continue
        for line, body in requests(path):
            request = json.loads(body)
            method = request.get("method") if isinstance(request, dict) else "batch"
            if method in SKIP_METHODS or len(body) > MAX_BODY:
                continue
            out.append(
                registry.api_row(
                    SOURCE["name"],
                    "POST",
                    "/",
                    "application/json",
                    body,
                    label(request),
                    f"github:{REPO}@{COMMIT[:12]}:{path}#L{line} ({method})",
                )
            )
    return out


def _rpc_method(row):
    request = json.loads(row["body"])
    return request.get("method") if isinstance(request, dict) else "batch"


def _same_request(row):
    """The dedup key: the request without its JSON-RPC id (a client's correlation number)."""
    request = json.loads(row["body"])
    if isinstance(request, dict):
        request = {k: v for k, v in request.items() if k != "id"}
    return row["method"], row["path"], json.dumps(request, separators=(",", ":"))


def rows():
    items = candidates()
    per_method = registry.sample(
        items,
        {m: PER_METHOD for m in {_rpc_method(r) for r in items}},
        ref=lambda r: r["ref"],
        label=_rpc_method,
        key=_same_request,
    )
    out = registry.sample(per_method, CAPS, ref=lambda r: r["ref"], label=lambda r: r["expected"], key=_same_request)
    return sorted(out, key=lambda r: r["ref"])
