"""InfluxDB v2 (time-series database) REST API requests from InfluxData's OpenAPI contract (github.com/influxdata/openapi).

The contract is the bundled `contracts/oss.json` (InfluxDB OSS API Service 2.x) at the release tag
influxdb-oss-v2.7.0. Paths carry the documented /api/v2 base path, except the operations the contract
serves from the root (`servers: [{url: ''}]`: /ping, /health, /ready, /metrics, /debug/pprof/*). Bodies
are the contract's documented examples (line protocol for /write, delete predicates, templates,
authorizations ...); where the contract documents none, a small JSON object of the request schema's
required properties with values by name (IDs are InfluxDB's 16-hex-digit IDs), and hand-written Flux for
the query calls (module BODIES). Shared OpenAPI helpers: api_oas_github.py.
"""

import json

import registry
from api_oas_github import oas_requests, oas_resolver, oas_sample, optional_by_hash

REPO = "influxdata/openapi"
COMMIT = "d3b3ce0177924a98bd85673b402c450d86dd04e3"  # tag influxdb-oss-v2.7.0
SPEC = "contracts/oss.json"

SOURCE = {
    # Added 2026-12-06 as a test set: never trained on, never used to choose a signal.
    "split": "heldout",
    "name": "oas-influxdb",
    "package": f"github:{REPO}@{COMMIT}:{SPEC}",
    "licence": "MIT (info.license of the contract; repository LICENSE MIT)",
    "url": "https://github.com/influxdata/openapi/blob/influxdb-oss-v2.7.0/contracts/oss.json",
    "label_rule": (
        "From the documented operationId, summary and description, first match wins: "
        "high-compute for PostQuery (runs a Flux/InfluxQL query), PostWrite (writes a batch of line protocol), "
        "PostDelete (deletes every point in a time range matching a predicate), PostTasksIDRuns and "
        "PostTasksIDRunsIDRetry (run a task's Flux script now), the backup downloads (GetBackup*: snapshot of "
        "metadata, KV store or a shard's TSM data) and restores (PostRestore*), ApplyTemplate and ExportTemplate "
        "(create or export many resources at once), and the runtime profiles that sample the server for a "
        "duration or dump all of it (GetDebugPprof* except Cmdline); "
        "? for PostQueryAst and PostQueryAnalyze (parse/analyze a Flux query without running it), "
        "DeleteStack and UninstallStack (remove a stack with all its resources), PostValidateReplicationByID "
        "(contacts the remote) and GetQuerySuggestions; "
        "fast-path for the probes and instance metadata (GetPing, HeadPing, GetHealth, GetReady, GetRoutes, "
        "GetMetrics, GetConfig, GetFlags, GetMe, GetSetup, GetDebugPprofCmdline, GetSourcesIDHealth) and every "
        "other GET whose summary starts Retrieve/Get and that reads one record by id (path ends with an id, or "
        "a record's query/view/suggestion); "
        "general for GETs whose summary starts List (paged lists, also GetTasksIDLogs/GetTasksIDRunsIDLogs: "
        "'Retrieve all logs', a list of log events, GetSourcesIDBuckets), sign-in/out, setup, passwords and every "
        "other create/update/delete of one record (labels, members, owners, secrets ...)."
    ),
}

CAPS = {"fast-path": 80, "general": 100, "high-compute": 60, "?": 40}

VALUES = {
    "org": "my-org",
    "orgID": "0a1b2c3d4e5f6a7b",
    "bucket": "my-bucket",
    "bucketID": "4e5f6a7b8c9d0e1f",
    "dbrpID": "0c2d4e6f8a0b2c4d",
    "telegrafID": "0a8c2d4e6f8a0b2c",
    "variableID": "0b1c2d3e4f5a6b7c",
    "labelID": "0d9e8f7a6b5c4d3e",
    "dashboardID": "0e1f2a3b4c5d6e7f",
    "cellID": "0f1e2d3c4b5a6978",
    "userID": "09cfb87051cbe000",
    "taskID": "0a0b1c2d3e4f5a6b",
    "runID": "0b2c4d6e8f0a2b4c",
    "checkID": "0c1d2e3f4a5b6c7d",
    "ruleID": "0d1e2f3a4b5c6d7e",
    "endpointID": "0e2f4a6b8c0d2e4f",
    "authID": "0f2a4b6c8d0e2f4a",
    "sourceID": "020f755c3c082000",
    "scraperTargetID": "0a3b5c7d9e1f3a5b",
    "secretID": "apikey",
    "stack_id": "0b4c6d8e0f2a4b6c",
    "remoteID": "0c5d7e9f1a3b5c7d",
    "replicationID": "0d6e8f0a2b4c6d8e",
    "shardID": 1,
    "name": "air-sensors",
    "precision": "s",
    "limit": 20,
    "seconds": 30,
    "debug": 1,
}

WRITE = (
    "airSensors,sensor_id=TLM0201 temperature=73.97,humidity=35.23,co=0.48 1630424257\n"
    "airSensors,sensor_id=TLM0202 temperature=75.30,humidity=35.65,co=0.51 1630424257\n"
    "airSensors,sensor_id=TLM0203 temperature=74.85,humidity=35.11,co=0.49 1630424257\n"
    "airSensors,sensor_id=TLM0204 temperature=72.14,humidity=34.90,co=0.47 1630424257\n"
    "airSensors,sensor_id=TLM0201 temperature=74.02,humidity=35.28,co=0.48 1630424267\n"
    "airSensors,sensor_id=TLM0202 temperature=75.41,humidity=35.70,co=0.52 1630424267\n"
)
FLUX = (
    'from(bucket: "my-bucket")\n  |> range(start: -1h)\n  |> filter(fn: (r) => r._measurement == "airSensors")\n'
    '  |> aggregateWindow(every: 1m, fn: mean, createEmpty: false)\n  |> yield(name: "mean")'
)

# Hand-written bodies where the contract documents no example, by operationId: (contentType, body).
BODIES = {
    "PostQuery": ("application/json", {"query": FLUX, "type": "flux"}),
    "PostQueryAnalyze": ("application/json", {"query": FLUX, "type": "flux"}),
    "PostQueryAst": ("application/json", {"query": FLUX}),
    "PostWrite": ("text/plain; charset=utf-8", WRITE),
    "PostDelete": (
        "application/json",
        {"start": "2024-01-01T00:00:00Z", "stop": "2024-02-01T00:00:00Z", "predicate": '_measurement="airSensors"'},
    ),
    "PostTasks": (
        "application/json",
        {"orgID": "0a1b2c3d4e5f6a7b", "flux": 'option task = {name: "downsample", every: 1h}\n' + FLUX},
    ),
    "PostBuckets": (
        "application/json",
        {
            "orgID": "0a1b2c3d4e5f6a7b",
            "name": "my-bucket",
            "retentionRules": [{"type": "expire", "everySeconds": 86400}],
        },
    ),
    "PostOrgs": ("application/json", {"name": "my-org", "description": "Telemetry team"}),
    "PostDashboards": ("application/json", {"orgID": "0a1b2c3d4e5f6a7b", "name": "Air sensors"}),
    "PostSetup": (
        "application/json",
        {"username": "admin", "password": "s3cret-Passw0rd", "org": "my-org", "bucket": "my-bucket"},
    ),
    "PostTasksIDRuns": ("application/json", {"scheduledFor": "2024-01-01T12:00:00Z"}),
    "ExportTemplate": ("application/json", {"orgIDs": [{"orgID": "0a1b2c3d4e5f6a7b"}]}),
    "PostRestoreKV": ("application/octet-stream", "<binary kv snapshot>"),
    "PostRestoreSQL": ("application/octet-stream", "<binary sql snapshot>"),
    "PostRestoreShardId": ("application/octet-stream", "<binary tsm snapshot>"),
    "PostRestoreBucketID": ("application/octet-stream", "<binary shard info>"),
}

STRINGS = {
    "id": "09cfb87051cbe000",
    "labelID": "0d9e8f7a6b5c4d3e",
    "orgID": "0a1b2c3d4e5f6a7b",
    "bucketID": "4e5f6a7b8c9d0e1f",
    "name": "air-sensors",
    "database": "mydb",
    "retention_policy": "autogen",
    "password": "s3cret-Passw0rd",
    "url": "http://localhost:8086",
    "remoteURL": "https://remote-influx.example.com:8086",
    "remoteAPIToken": "remote-token",
    "remoteOrgID": "0b2c3d4e5f6a7b8c",
    "remoteID": "0c5d7e9f1a3b5c7d",
    "localBucketID": "4e5f6a7b8c9d0e1f",
    "remoteBucketID": "5f6a7b8c9d0e1f2a",
    "config": '[[outputs.influxdb_v2]]\n  urls = ["http://localhost:8086"]',
    "description": "Air sensors",
}

HIGH = {
    "PostQuery",
    "PostWrite",
    "PostDelete",
    "PostTasksIDRuns",
    "PostTasksIDRunsIDRetry",
    "ApplyTemplate",
    "ExportTemplate",
}
DOUBT = {
    "PostQueryAst",
    "PostQueryAnalyze",
    "DeleteStack",
    "UninstallStack",
    "PostValidateReplicationByID",
    "GetQuerySuggestions",
}
FAST = {
    "GetPing",
    "HeadPing",
    "GetHealth",
    "GetReady",
    "GetRoutes",
    "GetMetrics",
    "GetConfig",
    "GetFlags",
    "GetMe",
    "GetSetup",
    "GetDebugPprofCmdline",
    "GetSourcesIDHealth",
}


def values(path, name):
    if name == "name" and path.startswith("/query/suggestions/"):
        return "from"  # a Flux function name
    return VALUES.get(name)


def label(method, path, op):
    op_id = op.get("operationId", "")
    summary = (op.get("summary") or "").strip()
    if op_id in HIGH or op_id.startswith(("GetBackup", "PostRestore")):
        return "high-compute"
    if op_id.startswith("GetDebugPprof") and op_id != "GetDebugPprofCmdline":
        return "high-compute"
    if op_id in DOUBT:
        return "?"
    if op_id in FAST:
        return "fast-path"
    if method in ("get", "head"):
        if summary.startswith("List") or op_id in ("GetTasksIDLogs", "GetTasksIDRunsIDLogs", "GetSourcesIDBuckets"):
            return "general"
        if summary.startswith(("Retrieve", "Get")) and (path.endswith("}") or path.endswith(("/query", "/view"))):
            return "fast-path"
        return "?"
    return "general"


def _minimal(res, schema, depth=0):
    """The schema's required properties: enums' first value, else a value by name and type."""
    schema = res(schema or {})
    out = {}
    for sub in schema.get("allOf", []) or []:
        out.update(_minimal(res, sub, depth + 1))
    props = schema.get("properties", {}) or {}
    for name in schema.get("required", []) or []:
        prop = res(props.get(name, {}))
        typ = prop.get("type")
        if prop.get("enum"):
            out[name] = prop["enum"][0]
        elif typ in ("integer", "number"):
            out[name] = 0 if "seconds" not in name.lower() else 3600
        elif typ == "boolean":
            out[name] = False
        elif typ == "array":
            out[name] = []
        elif typ == "object" and depth < 2:
            out[name] = _minimal(res, prop, depth + 1)
        elif typ == "string" or typ is None:
            out[name] = STRINGS.get(name, "example")
    return out


def rows():
    doc = json.loads(registry.github(REPO, COMMIT, SPEC))
    res = oas_resolver(doc)
    root_ops, schemas = set(), {}
    for item in doc["paths"].values():
        for op in item.values():
            if not isinstance(op, dict):
                continue
            if op.get("servers") == [{"url": ""}]:
                root_ops.add(op["operationId"])
            media = (res(op.get("requestBody") or {}).get("content") or {}).get("application/json") or {}
            if media.get("schema"):
                schemas[op["operationId"]] = media["schema"]
    ref = f"github:{REPO}@{COMMIT[:12]}:{SPEC}"
    items = oas_requests(doc, values, label, ref, optional_query=optional_by_hash)
    for it in items:
        op_id = it["key"]
        if op_id not in root_ops:
            it["path"] = "/api/v2" + it["path"]
        if op_id in BODIES:
            ct, body = BODIES[op_id]
            it["contentType"] = ct
            it["body"] = body if isinstance(body, str) else json.dumps(body, separators=(",", ":"))
        elif it["contentType"].startswith("application/json") and op_id in schemas:
            body = json.loads(it["body"] or "{}")
            if isinstance(body, dict):
                it["body"] = json.dumps({**_minimal(res, schemas[op_id]), **body}, separators=(",", ":"))
    return oas_sample(SOURCE["name"], items, CAPS)
