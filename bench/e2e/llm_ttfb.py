"""Time to first byte that semlb adds to streamed LLM responses (docs/llm-gateway.md#streaming-and-time-to-first-byte).

One stack, two Envoys on the same xds-server, ext-proc-service and demo model servers:
  A `envoy-only`: the shipped bootstrap without ext_proc, the pool-header strip, the cost-feedback
    access log and the usage observer; the client names the pool (x-semantic-pool, code, chat and
    fast in turn), Envoy routes on it straight to the model servers;
  B `semlb`: the shipped bootstrap, the LLM routing example (config/examples/llm-models.yaml: rules,
    decision head, embedding examples; no LLM tier) and the model pools (each names its model, so
    `auto` is rewritten and the usage observer runs on every response).

Each pool is one demo model server with a small fixed time to first token (20 ms) and a paced reply
(16 tokens at 16 tokens/s), so a stream stays open about a second. 100 client connections (10
with --smoke; one asyncio client process) each send one streamed chat completion (`model: auto`,
`stream: true`, `include_usage`) after another, so that many streams are open all the time. Per request the client takes, from just
before it writes the request: the first byte of the response body and the first complete SSE
`data:` line; it counts the content chunks and compares them with the `usage` the stream ends with.

B runs with two kinds of prompts: `unique` (every last user turn new, so every request costs the
classifier a model call: the worst case) and `repeated` (24 prompts cycled, decided once, then
cache hits). The order is A, B-unique, B-repeated, B-repeated, B-unique, A (ABBA for each kind);
each figure pools a variant's two runs. ext-proc-service's semlb_llm_tokens_total must grow by
exactly the usage the clients received through B. For B, ext-proc-service's own decision latency
(the last 1,000 decisions of each run, from /api/decisions) is reported beside the client's
figures, to tell classification from the rest, with how each was decided (stages), the model
calls admission control shed and Envoy's ext_proc timeouts; the load average before and after tells how busy
the shared machine was.

Run through loadbench.py: `loadbench.py --only llm_ttfb [--quick | --smoke]`.
"""

import asyncio
import itertools
import json
import os
import random
import time
import urllib.request

import loadbench as lb
import stack as st

POOLS = ("chat", "code", "fast")  # chat first: the default pool
MODELS = {"code": "demo-code-7b", "chat": "demo-chat-8b", "fast": "demo-fast-1b"}
TTFT_MS = 20
TOKENS_PER_SECOND = 16
REPLY_TOKENS = 16
# mode: (concurrent streams, seconds per measured run, warm-up seconds per variant)
MODES = {"full": (100, 30, 15), "quick": (100, 10, 8), "smoke": (10, 2, 2)}

REPEATED = [
    "fix this TypeError: undefined is not a function in my react component",
    "write a python function that merges two sorted lists",
    "why does my rust code fail with borrowed value does not live long enough",
    "write a SQL query that returns the ten newest orders per customer",
    "explain this stack trace: java.lang.NullPointerException at Main.run(Main.java:12)",
    "convert this bash loop to a python script",
    "a regular expression that matches ipv4 addresses",
    "my docker build fails with no space left on device",
    "I feel nervous about my job interview tomorrow, any advice?",
    "write a short story about a lighthouse keeper who finds a letter",
    "help me plan a two week trip through Portugal on a budget",
    "can you brainstorm names for a community garden project",
    "rewrite this paragraph so it sounds warmer and more personal",
    "let's role play: you are a ship captain in a storm",
    "summarise the causes of the first world war in depth",
    "what should I say to a friend who just lost their father",
    "what is the capital of Canada",
    "how many ounces are in a pound",
    "who wrote pride and prejudice",
    "convert 100 fahrenheit to celsius",
    "what year did the berlin wall fall",
    "what is the boiling point of water at sea level",
    "define the word ephemeral",
    "how many continents are there",
]
UNIQUE_FORMS = [
    "fix the {w} bug in this python loop that never ends",
    "write a haiku about the {w} of autumn",
    "what is the population of {w} city",
    "help me write a letter to my neighbour about the {w}",
    "why does my {w} javascript function return undefined",
    "quick question: what does {w} mean",
]
UNIQUE = itertools.count(1)  # never repeats within a process: each prompt is new to the classifier


def body(prompt):
    return json.dumps(
        {
            "model": "auto",
            "stream": True,
            "stream_options": {"include_usage": True},
            "messages": [{"role": "user", "content": prompt}],
        }
    ).encode()


def prompts(kind):
    """An endless supply of prompts of one kind: `unique` or `repeated`."""
    if kind == "repeated":
        yield from itertools.cycle(REPEATED)
    rnd = random.Random()
    while True:
        yield rnd.choice(UNIQUE_FORMS).format(w=lb.letters(next(UNIQUE)))


class Result:
    """One streamed response as the client saw it."""

    __slots__ = ("status", "ttfb", "first_data", "content_chunks", "usage", "pool", "model", "error")

    def __init__(self):
        self.status = 0
        self.ttfb = None  # ms from writing the request to the first response body byte
        self.first_data = None  # ms to the first complete SSE `data:` line
        self.content_chunks = 0
        self.usage = None
        self.pool = None
        self.model = None
        self.error = None


async def read_headers(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    return status, headers


def on_event(r, data, t0):
    """One SSE `data:` payload."""
    if r.first_data is None:
        r.first_data = (time.perf_counter() - t0) * 1e3
    if data == b"[DONE]":
        return
    chunk = json.loads(data)
    r.model = r.model or chunk.get("model")
    for choice in chunk.get("choices") or []:
        if (choice.get("delta") or {}).get("content"):
            r.content_chunks += 1
    if chunk.get("usage"):
        r.usage = chunk["usage"]


async def one_request(reader, writer, request, t0, r):
    """Sends one request on a kept-alive HTTP/1.1 connection and reads its chunked SSE response."""
    writer.write(request)
    await writer.drain()
    r.status, headers = await read_headers(reader)
    r.pool = headers.get("x-served-by-pool")
    if headers.get("transfer-encoding", "").lower() != "chunked":
        length = int(headers.get("content-length", "0"))
        await reader.readexactly(length)
        r.error = f"not chunked (status {r.status})"
        return
    pending = b""
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        if size == 0:
            await reader.readuntil(b"\r\n")  # no trailers: the empty line
            break
        data = await reader.readexactly(size + 2)
        if r.ttfb is None:
            r.ttfb = (time.perf_counter() - t0) * 1e3
        pending += data[:-2]
        while b"\n\n" in pending:
            event, pending = pending.split(b"\n\n", 1)
            for line in event.split(b"\n"):
                if line.startswith(b"data: "):
                    on_event(r, line[6:], t0)


async def client(port, pools, source, stop_at, out):
    """One connection sending streamed chat completions back to back until stop_at."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for pool in itertools.cycle(pools):
            if time.perf_counter() >= stop_at:
                return
            payload = body(next(source))
            head = (
                f"POST /v1/chat/completions HTTP/1.1\r\nhost: semlb\r\ncontent-type: application/json\r\n"
                f"content-length: {len(payload)}\r\n"
            )
            if pool:
                head += f"x-semantic-pool: {pool}\r\n"
            request = (head + "\r\n").encode() + payload
            r = Result()
            t0 = time.perf_counter()
            try:
                await asyncio.wait_for(one_request(reader, writer, request, t0, r), 30)
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as e:
                r.error = type(e).__name__
                out.append(r)
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                continue
            out.append(r)
    finally:
        writer.close()


def run(port, concurrency, seconds, pools, kind):
    """concurrency streams held open for `seconds` (then the ones under way finish); the results."""
    out = []

    async def main():
        stop_at = time.perf_counter() + seconds
        source = prompts(kind)
        rotations = [pools[i % len(pools) :] + pools[: i % len(pools)] for i in range(concurrency)]
        await asyncio.gather(*(client(port, rotations[i], source, stop_at, out) for i in range(concurrency)))

    asyncio.run(main())
    return out


def pct(values, q):
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))], 2) if values else None


def summary(results, seconds):
    ok = [r for r in results if r.status == 200 and r.error is None and r.ttfb is not None]
    usage_ok = [r for r in ok if r.usage and r.usage.get("completion_tokens") == r.content_chunks]
    ttfb = [r.ttfb for r in ok]
    first = [r.first_data for r in ok if r.first_data is not None]
    return {
        "responses": len(results),
        "ok": len(ok),
        "errors": len(results) - len(ok),
        "rps": round(len(ok) / seconds, 1),
        "ttfb_p50_ms": pct(ttfb, 0.50),
        "ttfb_p99_ms": pct(ttfb, 0.99),
        "ttfb_max_ms": round(max(ttfb), 2) if ttfb else None,
        "first_data_p50_ms": pct(first, 0.50),
        "first_data_p99_ms": pct(first, 0.99),
        "usage_matches_content": len(usage_ok),
        "usage_prompt_tokens": sum(r.usage.get("prompt_tokens", 0) for r in ok if r.usage),
        "usage_completion_tokens": sum(r.usage.get("completion_tokens", 0) for r in ok if r.usage),
        # the body's model is the serving pool's (B: rewritten from auto; A: the demo server's own)
        "model_matches_pool": sum(1 for r in ok if r.pool and MODELS.get(r.pool) == r.model),
        "by_pool": {p: sum(1 for r in ok if r.pool == p) for p in POOLS},
    }


def tokens_counted(port):
    """semlb_llm_tokens_total by kind (summed over pools) and 200 responses observed, from /metrics."""
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
    out = {"prompt": 0.0, "completion": 0.0, "responses_200": 0.0}
    for line in text.splitlines():
        if line.startswith("semlb_llm_tokens_total{"):
            for kind in ("prompt", "completion"):
                if f'kind="{kind}"' in line:
                    out[kind] += float(line.rsplit(" ", 1)[1])
        elif line.startswith("semlb_llm_requests_total{") and 'status="200"' in line:
            out["responses_200"] += float(line.rsplit(" ", 1)[1])
    return out


def ext_proc_stats(admin_port):
    """Envoy's ext_proc message timeouts and fail-opens (http.semlb.ext_proc.*: the routing filter's;
    the usage observer shares the prefix, but it never waits, so it has no message timeouts)."""
    stats = st.get_json(admin_port, "/stats?format=json&filter=ext_proc")["stats"]
    out = {}
    for stat in stats:
        name = stat.get("name", "")
        for key in ("message_timeouts", "failure_mode_allowed"):
            if name.endswith(f".ext_proc.{key}"):
                out[key] = out.get(key, 0) + stat.get("value", 0)
    return out


def ttfb_overhead(vegeta, envoy_bin, mode, workdir):
    concurrency, seconds, warm_s = MODES[mode]
    tdir = os.path.join(workdir, "llm-ttfb")
    os.makedirs(tdir, exist_ok=True)
    worker_args = ["--llm-ttft", f"{TTFT_MS}ms", "--llm-tokens-per-second", str(TOKENS_PER_SECOND)]
    worker_args += ["--llm-reply-tokens", str(REPLY_TOKENS)]
    variants = {  # name: (Envoy, pool headers the client sends, prompts)
        "envoy-only": ("envoy-only", list(POOLS), "repeated"),
        "semlb-unique": ("semlb", [None], "unique"),
        "semlb-repeated": ("semlb", [None], "repeated"),
    }
    order = ["envoy-only", "semlb-unique", "semlb-repeated", "semlb-repeated", "semlb-unique", "envoy-only"]
    runs = {name: [] for name in variants}
    load_before = os.getloadavg()
    classify_ms = {name: [] for name in variants}  # ext-proc-service's own decision latency, B runs
    extra = {name: [] for name in variants}  # B runs: decision stages, Envoy's ext_proc timeouts
    with st.Stack(
        tdir,
        envoy_bin,
        [(pool, f"{pool}-1") for pool in POOLS],
        {pool: [f"{pool}-1"] for pool in POOLS},
        worker_args=worker_args,
        extproc_admin=True,
        routing=os.path.join(st.ROOT, "config", "examples", "llm-models.yaml"),
        envoys=("envoy-only", "semlb"),
        pool_models=MODELS,
        model_workers=True,
    ) as s:
        for name, (envoy, pools, kind) in variants.items():
            # A ramp, as loadbench.warm_up: 100 cold streams at once make the first model calls
            # slow, and admission control then sheds every later one (see docs/benchmarks.md).
            for streams in (max(1, concurrency // 10), concurrency):
                warm = run(s.ports[envoy], streams, warm_s, pools, kind)
                print(f"  llm_ttfb warm-up {name} x{streams}: {summary(warm, warm_s)}", flush=True)
        before = tokens_counted(s.ports["extproc-admin"])
        for name in order:
            envoy, pools, kind = variants[name]
            envoy_before = ext_proc_stats(s.ports["semlb-admin"])
            shed_before = st.get_json(s.ports["extproc-admin"], "/api/stats").get("shed", {})
            results = run(s.ports[envoy], concurrency, seconds, pools, kind)
            runs[name].append(results)
            line = summary(results, seconds)
            if envoy == "semlb":  # the decision log keeps the last 1,000
                recent = st.get_json(s.ports["extproc-admin"], f"/api/decisions?limit={min(1000, len(results))}")
                classify_ms[name] += [d["latencyMs"] for d in recent]
                line["classify_p50_ms"] = pct([d["latencyMs"] for d in recent], 0.50)
                line["classify_p99_ms"] = pct([d["latencyMs"] for d in recent], 0.99)
                line["stages"] = {}
                for d in recent:
                    stage = d["stage"] + (" (budget spent)" if "budget spent" in d["reason"] else "")
                    line["stages"][stage] = line["stages"].get(stage, 0) + 1
                envoy_after = ext_proc_stats(s.ports["semlb-admin"])
                line["fail_open"] = {k: envoy_after.get(k, 0) - envoy_before.get(k, 0) for k in envoy_after}
                shed_after = st.get_json(s.ports["extproc-admin"], "/api/stats").get("shed", {})
                line["model_calls_shed"] = {k: v - shed_before.get(k, 0) for k, v in shed_after.items()}
                extra[name].append(line)
            print(f"  llm_ttfb {name}: {line}", flush=True)
        time.sleep(2)  # the observer's last chunks (observability mode: Envoy does not wait for it)
        after = tokens_counted(s.ports["extproc-admin"])
        rss = s.rss_mb("ext-proc-service")
    report = {
        "loadavg_1m_before_after": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
        "concurrency": concurrency,
        "seconds_per_run": seconds,
        "order": order,
        "model_servers": {"ttft_ms": TTFT_MS, "tokens_per_second": TOKENS_PER_SECOND, "reply_tokens": REPLY_TOKENS},
    }
    for name in variants:
        report[name] = summary([r for results in runs[name] for r in results], seconds * len(runs[name]))
        report[name]["runs"] = extra[name] or [summary(results, seconds) for results in runs[name]]
        if classify_ms[name]:
            report[name]["classify_p50_ms"] = pct(classify_ms[name], 0.50)
            report[name]["classify_p99_ms"] = pct(classify_ms[name], 0.99)
    base = report["envoy-only"]
    for name in ("semlb-unique", "semlb-repeated"):
        b = report[name]
        report[f"added_{name.split('-')[1]}"] = {
            k: round(b[k] - base[k], 2)
            for k in ("ttfb_p50_ms", "ttfb_p99_ms", "first_data_p50_ms", "first_data_p99_ms")
            if b[k] is not None and base[k] is not None
        }
    semlb_ok = [r for name in ("semlb-unique", "semlb-repeated") for results in runs[name] for r in results]
    semlb_ok = [r for r in semlb_ok if r.status == 200 and r.error is None and r.usage]
    report["tokens"] = {
        "responses_with_usage": len(semlb_ok),
        "usage_prompt_tokens": sum(r.usage["prompt_tokens"] for r in semlb_ok),
        "usage_completion_tokens": sum(r.usage["completion_tokens"] for r in semlb_ok),
        "counted_prompt_tokens": after["prompt"] - before["prompt"],
        "counted_completion_tokens": after["completion"] - before["completion"],
        "counted_responses_200": after["responses_200"] - before["responses_200"],
    }
    t = report["tokens"]
    t["counted_equals_usage"] = (
        t["counted_prompt_tokens"] == t["usage_prompt_tokens"]
        and t["counted_completion_tokens"] == t["usage_completion_tokens"]
        and t["counted_responses_200"] == t["responses_with_usage"]
    )
    report["ext_proc_rss_mb"] = rss
    print(f"  llm_ttfb added (B - A): unique {report['added_unique']}, repeated {report['added_repeated']}")
    print(f"  llm_ttfb tokens: {t}", flush=True)
    return report
