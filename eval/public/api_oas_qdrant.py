"""Qdrant (vector database) REST API requests from Qdrant's own OpenAPI description (github.com/qdrant/qdrant).

The spec is generated from Qdrant's REST handlers (docs/redoc/master/openapi.json at the v1.19.0 release
commit); the v1.16.x spec of the same commit adds the search/recommend/discover endpoints that v1.17 folded
into /points/query (still what many clients send). The spec documents no request examples, so bodies are
small JSON objects of the request schemas' documented fields, written per operation below, with vectors,
filters and payloads of the kind Qdrant's docs use (4-dimensional vectors, a "city" payload key). Point
writes are sent in the two forms the schemas document: a few points named by id, and a selection by
`filter` (or a batch); the label follows the form (see the rule). Shared OpenAPI helpers: api_oas_github.py.
"""

import json

import registry
from api_oas_github import oas_requests, oas_sample, optional_by_hash

REPO = "qdrant/qdrant"
COMMIT = "74f3e85b9473c62560006c043e13737ce6b48412"  # tag v1.19.0
SPECS = ("docs/redoc/master/openapi.json", "docs/redoc/v1.16.x/openapi.json")

SOURCE = {
    # Added 2026-12-06 as a test set: never trained on, never used to choose a signal.
    "split": "heldout",
    "name": "oas-qdrant",
    "package": f"github:{REPO}@{COMMIT}:{SPECS[0]} (+ {SPECS[1]})",
    "licence": "Apache-2.0 (info.license of the spec; repository LICENSE Apache-2.0)",
    "url": "https://github.com/qdrant/qdrant/tree/v1.19.0/docs/redoc",
    "label_rule": (
        "From the documented operationId, summary and description, and for point writes the documented form of "
        "the request (ids or filter/batch), first match wins: "
        "high-compute for vector search (search*, recommend*, discover*, query_points*, search_matrix_*: nearest-"
        "neighbour scoring over the collection), facet (counts per payload value over a filter), scroll_points and "
        "count_points with a filter (a scan over every matching point), batch_update and upserts of a batch of "
        "points, point/vector/payload writes and deletes that select points by filter, snapshot create/recover/"
        "upload/download (whole collection or storage export/import), and create_field_index (builds an index over "
        "every point); "
        "? for cluster operations (update_collection_cluster: move/replicate shards; recover_current_peer; "
        "remove_peer) and adding/removing a named vector on an existing collection (rewrites every point); "
        "fast-path for the service probes and metadata (root, healthz, livez, readyz, telemetry, metrics, cluster "
        "status and telemetry, issues, quotas), collection info/existence/cluster info/optimization progress, and "
        "get_point (one point by id); "
        "general for lists (collections, aliases, snapshots, shard keys), get_points by a few ids, scroll without a "
        "filter (one page), and one-object writes: create/update/delete collection, aliases, shard keys, quotas, "
        "delete field index, delete snapshot, clear issues, and point/vector/payload writes naming a few point ids."
    ),
}

CAPS = {"fast-path": 100, "general": 100, "high-compute": 100, "?": 40}

VALUES = {
    "collection_name": "test_collection",
    "field_name": "city",
    "vector_name": "image",
    "snapshot_name": "test_collection-2815120208513429-2025-05-14-10-12-43.snapshot",
    "shard_id": 0,
    "peer_id": 3906596012826463,
    "id": 42,
    "wait": True,
    "timeout": 30,
    "consistency": "majority",
}

VEC = [0.05, 0.61, 0.76, 0.74]
FILTER = {"must": [{"key": "city", "match": {"value": "London"}}]}
IDS = [1, 2, 42]
POINTS = [
    {"id": 1, "vector": [0.05, 0.61, 0.76, 0.74], "payload": {"city": "Berlin"}},
    {"id": 2, "vector": [0.19, 0.81, 0.75, 0.11], "payload": {"city": "London"}},
    {"id": 3, "vector": [0.36, 0.55, 0.47, 0.94], "payload": {"city": "Moscow"}},
    {"id": 4, "vector": [0.18, 0.01, 0.85, 0.80], "payload": {"city": "New York"}},
]

# Bodies by operationId: the fields each request schema documents, small values.
BODIES = {
    "create_collection": {"vectors": {"size": 4, "distance": "Cosine"}},
    "update_collection": {"optimizers_config": {"indexing_threshold": 10000}},
    "update_aliases": {
        "actions": [{"create_alias": {"collection_name": "test_collection", "alias_name": "production_collection"}}]
    },
    "create_shard_key": {"shard_key": "europe", "shards_number": 1},
    "delete_shard_key": {"shard_key": "europe"},
    "update_quotas": {"max_collections": 100},
    "create_field_index": {"field_name": "city", "field_schema": "keyword"},
    "create_vector_name": {"size": 512, "distance": "Cosine"},
    "update_collection_cluster": {"move_shard": {"shard_id": 0, "from_peer_id": 381894127, "to_peer_id": 467122995}},
    "recover_from_snapshot": {
        "location": "http://qdrant-node-1:6333/collections/test_collection/snapshots/test_collection-2815120208513429-2025-05-14-10-12-43.snapshot"
    },
    "recover_shard_from_snapshot": {
        "location": "http://qdrant-node-1:6333/collections/test_collection/shards/0/snapshots/shard-0.snapshot"
    },
    "get_points": {"ids": IDS, "with_payload": True, "with_vector": False},
    "search_points": {"vector": VEC, "filter": FILTER, "limit": 3, "with_payload": True},
    "search_batch_points": {
        "searches": [{"vector": VEC, "filter": FILTER, "limit": 3}, {"vector": [0.19, 0.81, 0.75, 0.11], "limit": 3}]
    },
    "search_point_groups": {"vector": VEC, "group_by": "city", "limit": 4, "group_size": 2},
    "recommend_points": {"positive": [100, 231], "negative": [718], "filter": FILTER, "limit": 3},
    "recommend_batch_points": {
        "searches": [{"positive": [100, 231], "negative": [718], "limit": 3}, {"positive": [200, 67], "limit": 3}]
    },
    "recommend_point_groups": {"positive": [100, 231], "negative": [718], "group_by": "city", "limit": 3},
    "discover_points": {"target": [0.2, 0.1, 0.9, 0.7], "context": [{"positive": 100, "negative": 718}], "limit": 10},
    "discover_batch_points": {
        "searches": [
            {"target": [0.2, 0.1, 0.9, 0.7], "context": [{"positive": 100, "negative": 718}], "limit": 10},
            {"target": 214, "context": [{"positive": 200, "negative": 300}], "limit": 10},
        ]
    },
    "query_points": {"query": VEC, "filter": FILTER, "limit": 10, "with_payload": True},
    "query_batch_points": {
        "searches": [{"query": VEC, "limit": 5}, {"query": {"recommend": {"positive": [100]}}, "limit": 5}]
    },
    "query_points_groups": {"query": VEC, "group_by": "city", "limit": 4, "group_size": 2},
    "search_matrix_pairs": {"sample": 100, "limit": 10, "filter": FILTER},
    "search_matrix_offsets": {"sample": 100, "limit": 10, "filter": FILTER},
    "facet": {"key": "city", "filter": {"must": [{"key": "color", "match": {"value": "red"}}]}, "limit": 10},
    "batch_update": {
        "operations": [
            {"upsert": {"points": POINTS[:2]}},
            {"set_payload": {"payload": {"reviewed": True}, "points": [1, 2]}},
            {"delete": {"points": [42]}},
        ]
    },
}

# Point writes and scans in their two documented forms: (suffix, body, label).
FORMS = {
    "upsert_points": [
        ("one", {"points": [POINTS[0]]}, "general"),
        ("batch", {"points": POINTS}, "high-compute"),
    ],
    "delete_points": [("ids", {"points": IDS}, "general"), ("filter", {"filter": FILTER}, "high-compute")],
    "update_vectors": [
        ("one", {"points": [{"id": 1, "vector": {"image": [0.9, 0.1, 0.1, 0.2]}}]}, "general"),
    ],
    "delete_vectors": [
        ("ids", {"points": [1, 2], "vector": ["image"]}, "general"),
        ("filter", {"filter": FILTER, "vector": ["image"]}, "high-compute"),
    ],
    "set_payload": [
        ("ids", {"payload": {"property1": "string"}, "points": [0, 3, 100]}, "general"),
        ("filter", {"payload": {"property1": "string"}, "filter": FILTER}, "high-compute"),
    ],
    "overwrite_payload": [
        ("ids", {"payload": {"city": "Paris"}, "points": [0, 3, 100]}, "general"),
        ("filter", {"payload": {"city": "Paris"}, "filter": FILTER}, "high-compute"),
    ],
    "delete_payload": [
        ("ids", {"keys": ["color", "price"], "points": [0, 3, 100]}, "general"),
        ("filter", {"keys": ["color", "price"], "filter": FILTER}, "high-compute"),
    ],
    "clear_payload": [("ids", {"points": [0, 3, 100]}, "general"), ("filter", {"filter": FILTER}, "high-compute")],
    "scroll_points": [
        ("page", {"limit": 10, "with_payload": True, "with_vector": False}, "general"),
        ("filter", {"filter": FILTER, "limit": 100, "with_payload": True}, "high-compute"),
    ],
    "count_points": [("filter", {"filter": FILTER, "exact": True}, "high-compute")],
}

HIGH = (
    "search_",
    "recommend_",
    "discover_",
    "query_",
    "create_snapshot",
    "create_full_snapshot",
    "create_shard_snapshot",
    "recover_",
)
FAST = {
    "root",
    "healthz",
    "livez",
    "readyz",
    "telemetry",
    "metrics",
    "cluster_status",
    "cluster_telemetry",
    "get_issues",
    "get_quotas",
    "get_collection",
    "collection_exists",
    "collection_cluster_info",
    "get_optimizations",
    "get_point",
}


def label(method, path, op):
    op_id = op.get("operationId", "")
    if op_id in ("update_collection_cluster", "recover_current_peer", "remove_peer"):
        return "?"
    if op_id in ("create_vector_name", "delete_vector_name"):
        return "?"
    if op_id.startswith(HIGH) or op_id in ("facet", "batch_update", "create_field_index"):
        return "high-compute"
    if op_id in ("get_snapshot", "get_full_snapshot", "stream_shard_snapshot", "get_shard_snapshot"):
        return "high-compute"  # documented as "Download ... snapshot": a whole collection/shard export
    if op_id in FAST:
        return "fast-path"
    return "general"


def _spec(path):
    return json.loads(registry.github(REPO, COMMIT, path))


def rows():
    current = _spec(SPECS[0])
    older = _spec(SPECS[1])
    have = {(m, p) for p, item in current["paths"].items() for m in item}
    older["paths"] = {p: {m: o for m, o in item.items() if (m, p) not in have} for p, item in older["paths"].items()}
    items = []
    for doc, spec in ((current, SPECS[0]), (older, SPECS[1])):
        ref = f"github:{REPO}@{COMMIT[:12]}:{spec}"
        items += oas_requests(doc, VALUES, label, ref, optional_query=optional_by_hash)
    out = []
    for it in items:
        op_id = it["key"]
        if op_id in ("recover_from_uploaded_snapshot", "recover_shard_from_uploaded_snapshot"):
            it["contentType"], it["body"] = (
                "multipart/form-data; boundary=qdrant",
                (
                    '--qdrant\r\nContent-Disposition: form-data; name="snapshot"; filename="test_collection.snapshot"\r\n'
                    "Content-Type: application/octet-stream\r\n\r\n<binary snapshot>\r\n--qdrant--\r\n"
                ),
            )
        if op_id in FORMS:
            for suffix, body, pool in FORMS[op_id]:
                form = dict(it, key=f"{op_id}#{suffix}", ref=f"{it['ref']}#{suffix}", expected=pool)
                form["contentType"], form["body"] = "application/json", json.dumps(body, separators=(",", ":"))
                out.append(form)
            continue
        if op_id in BODIES:
            it["contentType"], it["body"] = "application/json", json.dumps(BODIES[op_id], separators=(",", ":"))
        out.append(it)
    return oas_sample(SOURCE["name"], out, CAPS)
