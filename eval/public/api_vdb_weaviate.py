"""Weaviate (vector database) REST API requests from Weaviate's own OpenAPI description (github.com/weaviate/weaviate).

openapi-specs/schema.json (Swagger 2.0, base path /v1) is the spec Weaviate's REST server is generated from.
It documents no request examples, so each body below is a small JSON object of the documented fields of the
operation's request schema, with the collections and values of Weaviate's docs (Article, JeopardyQuestion,
City); parameters get values of the same kind; batch deletes and point reads in their documented forms.
POST /v1/graphql and /v1/graphql/batch are left out: the spec gives no query, and a query written here
would be our text, not Weaviate's. Shared OpenAPI helpers: api_oas_github.py (oas_requests, oas_synth,
oas_sample, optional_by_hash).
"""

import json

import registry
from api_oas_github import oas_requests, oas_resolver, oas_sample, oas_synth, optional_by_hash

REPO = "weaviate/weaviate"
COMMIT = "adcffc5432aa797c60e3c4e479514054254fae2a"
SPEC = "openapi-specs/schema.json"

SOURCE = {
    "name": "vdb-weaviate",
    "package": f"github:{REPO}@{COMMIT}:{SPEC}",
    "licence": "BSD-3-Clause (repository LICENSE, Weaviate B.V.; the spec itself names no licence)",
    "url": f"https://github.com/{REPO}/blob/{COMMIT}/{SPEC}",
    "label_rule": (
        "From the documented operationId, summary and description, and for batch deletes the "
        "documented form of the request, first match wins (the GraphQL endpoints are not sent): "
        "high-compute: vector, hybrid and keyword search (search.bm25, search.hybrid, search.nearText, "
        "search.nearObject), aggregate, batch object import, batch delete by a where filter, bulk "
        "cross-references, backups (create, restore), export, classification runs, and building or rebuilding a "
        "property's inverted index (index upsert, rebuild: over every object of the collection); "
        "? : replication and scaling writes (replica moves, scale plans: cluster operations), deleting a vector "
        "index or a property index (rewrites the collection's data), and the MCP endpoint (cost depends on the "
        "tool called); "
        "fast-path: root, liveness, readiness, OIDC configuration, meta, one object by id and existence checks "
        "(HEAD), one collection's schema, shards or index status, one tenant or its existence, one alias, one "
        "user, role or namespace, role permission checks, status of one backup, restore, export, classification "
        "or replication, node status, cluster statistics, sharding state; "
        "general: paged or full lists (objects, collections, tenants, aliases, backups, users, roles, groups, "
        "namespaces, tasks, replications, role assignments), and "
        "one-object writes: create/update/patch/delete/validate an object, its references, a collection or a "
        "property, tenants, aliases, users, roles and their assignments, namespaces, shard status, cancelling a "
        "backup/restore/export/replication/reindex, and tokenize (one text)."
    ),
}

CAPS = {"fast-path": 45, "general": 45, "high-compute": 45, "?": 15}

UUID = "36ddd591-2dee-4e7e-a3cc-eb86d30a4303"
VALUES = {
    "className": "Article",
    "collection": "Article",
    "class": "Article",
    "propertyName": "title",
    "indexName": "searchable",
    "vectorIndexName": "title_vector",
    "shardName": "gDDxdf6CEo4N",
    "tenantName": "tenantA",
    "tenant": "tenantA",
    "tenants": "tenantA,tenantB",
    "aliasName": "ArticleAlias",
    "backend": "filesystem",
    "user_id": "custom-user",
    "namespace_id": "team-a",
    "groupType": "oidc",
    "userType": "db",
    "consistency_level": "QUORUM",
    "include": "vector",
    "limit": 25,
    "offset": 0,
    "after": UUID,
    "sort": "title",
    "order": "asc",
    "output": "verbose",
    "node_name": "weaviate-0",
    "shard": "gDDxdf6CEo4N",
    "replicationFactor": 3,
    "targetNode": "weaviate-1",
}
IDS = {  # what `{id}` names, by the path it is in
    "/authz/roles": "testRole",
    "/authz/users": "custom-user",
    "/authz/groups": "admin-group",
    "/backups": "my-backup-2025",
    "/export": "my-export-2025",
    "/classifications": "ee722219-b8ec-4db1-8f8d-5150bb1a9e0c",
    "/replication": "0e5e2a3c-1d7b-4a3e-9c1b-2f7c7b1a8d11",
}


def values(path, name):
    if name == "id":
        for prefix, value in IDS.items():
            if path.startswith(prefix):
                return value
        return UUID
    return VALUES.get(name)


WHERE = {"path": ["wordCount"], "operator": "GreaterThan", "valueInt": 1000}
ARTICLE = {"class": "Article", "properties": {"title": "The history of space travel", "wordCount": 1214}}
BODIES = {
    "objects.create": ARTICLE,
    "objects.update": dict(ARTICLE, id=UUID),
    "objects.class.put": dict(ARTICLE, id=UUID),
    "objects.patch": {"class": "Article", "properties": {"wordCount": 1300}},
    "objects.class.patch": {"class": "Article", "properties": {"wordCount": 1300}},
    "objects.validate": ARTICLE,
    "objects.references.create": {"beacon": f"weaviate://localhost/Author/{UUID}"},
    "objects.class.references.create": {"beacon": f"weaviate://localhost/Author/{UUID}"},
    "objects.references.update": [{"beacon": f"weaviate://localhost/Author/{UUID}"}],
    "objects.class.references.put": [{"beacon": f"weaviate://localhost/Author/{UUID}"}],
    "objects.references.delete": {"beacon": f"weaviate://localhost/Author/{UUID}"},
    "objects.class.references.delete": {"beacon": f"weaviate://localhost/Author/{UUID}"},
    "batch.objects.create": {
        "objects": [
            {
                "class": "JeopardyQuestion",
                "properties": {"question": "This organ removes excess glucose", "answer": "Liver"},
            },
            {
                "class": "JeopardyQuestion",
                "properties": {"question": "It's the only living mammal", "answer": "Elephant"},
            },
            {"class": "JeopardyQuestion", "properties": {"question": "The gavial looks like", "answer": "the nose"}},
        ]
    },
    "batch.objects.delete": {"match": {"class": "Article", "where": WHERE}, "output": "minimal", "dryRun": False},
    "batch.references.create": [
        {"from": f"weaviate://localhost/Article/{UUID}/hasAuthors", "to": f"weaviate://localhost/Author/{UUID}"},
        {
            "from": "weaviate://localhost/Article/5c1e4a51-1b3a-4a1b-9a0e-5b3b1f1a2b3c/hasAuthors",
            "to": f"weaviate://localhost/Author/{UUID}",
        },
    ],
    "schema.objects.create": {
        "class": "Article",
        "description": "A news article",
        "vectorizer": "text2vec-openai",
        "properties": [{"name": "title", "dataType": ["text"]}, {"name": "wordCount", "dataType": ["int"]}],
    },
    "schema.objects.update": {"class": "Article", "invertedIndexConfig": {"bm25": {"b": 0.7, "k1": 1.1}}},
    "schema.objects.properties.add": {"name": "summary", "dataType": ["text"], "tokenization": "word"},
    "schema.objects.index.upsert": {"tokenization": "word"},
    "schema.objects.properties.tokenize": {"text": "The quick brown fox"},
    "schema.objects.shards.update": {"status": "READY"},
    "tenants.create": [{"name": "tenantA"}, {"name": "tenantB"}],
    "tenants.update": [{"name": "tenantA", "activityStatus": "COLD"}],
    "tenants.delete": ["tenantA", "tenantB"],
    "aliases.create": {"alias": "ArticleAlias", "class": "Article"},
    "aliases.update": {"class": "ArticleV2"},
    "backups.create": {"id": "my-backup-2025", "include": ["Article", "Author"]},
    "backups.restore": {"include": ["Article"]},
    "export.create": {"id": "my-export-2025", "file_format": "parquet", "include": ["Article"]},
    "classifications.post": {
        "class": "Article",
        "type": "knn",
        "classifyProperties": ["ofCategory"],
        "basedOnProperties": ["summary"],
        "settings": {"k": 3},
    },
    "tokenize": {"text": "The quick brown fox", "tokenization": "word"},
    "search.nearText": {
        "query": ["space travel"],
        "limit": 5,
        "returnProperties": ["title"],
        "returnMetadata": ["distance"],
    },
    "search.nearObject": {"id": UUID, "limit": 5, "returnProperties": ["title"], "returnMetadata": ["distance"]},
    "search.bm25": {"query": "space travel", "queryProperties": ["title"], "limit": 5, "where": WHERE},
    "search.hybrid": {"query": "space travel", "alpha": 0.5, "limit": 5, "returnProperties": ["title"]},
    "aggregate": {"returnMetrics": ["count"], "where": WHERE, "groupBy": "category"},
    "createRole": {"name": "testRole", "permissions": [{"action": "read_data", "data": {"collection": "Article"}}]},
    "addPermissions": {"permissions": [{"action": "read_data", "data": {"collection": "Article"}}]},
    "removePermissions": {"permissions": [{"action": "read_data", "data": {"collection": "Article"}}]},
    "hasPermission": {"action": "read_data", "data": {"collection": "Article"}},
    "assignRoleToUser": {"roles": ["testRole"], "userType": "db"},
    "revokeRoleFromUser": {"roles": ["testRole"], "userType": "db"},
    "assignRoleToGroup": {"roles": ["testRole"], "groupType": "oidc"},
    "revokeRoleFromGroup": {"roles": ["testRole"], "groupType": "oidc"},
    "replicate": {
        "collection": "Article",
        "shard": "gDDxdf6CEo4N",
        "sourceNode": "weaviate-0",
        "targetNode": "weaviate-1",
    },
    "forceDeleteReplications": {"collection": "Article", "dryRun": True},
    "createNamespace": {"home_node": "weaviate-0"},
    "updateNamespace": {"home_node": "weaviate-1"},
}

HIGH = {
    "search.bm25", "search.hybrid", "search.nearText", "search.nearObject", "aggregate",
    "batch.objects.create", "batch.objects.delete", "batch.references.create", "backups.create", "backups.restore",
    "export.create", "classifications.post", "schema.objects.index.upsert", "schema.objects.index.rebuild",
}  # fmt: skip
AMBIGUOUS = {
    "replicate", "deleteAllReplications", "forceDeleteReplications", "applyReplicationScalePlan",
    "getReplicationScalePlan", "schema.objects.vectors.delete", "schema.objects.properties.delete",
    "mcp.post", "mcp.get", "mcp.delete",
}  # fmt: skip
FAST = {
    "weaviate.root", "weaviate.wellknown.liveness", "weaviate.wellknown.readiness", "get /.well-known/openid-configuration",
    "meta.get", "objects.get", "objects.class.get", "objects.head", "objects.class.head", "schema.objects.get",
    "schema.objects.shards.get", "schema.objects.indexes.get", "tenant.exists", "tenants.get.one", "aliases.get.alias",
    "getOwnInfo", "getUserInfo", "getRole", "hasPermission", "getNamespace", "backups.create.status",
    "backups.restore.status", "export.status", "classifications.get", "replicationDetails", "nodes.get",
    "nodes.get.class", "cluster.get.statistics", "getCollectionShardingState",
}  # fmt: skip


def label(method, path, op):
    op_id = op.get("operationId") or f"{method} {path}"
    if op_id in HIGH:
        return "high-compute"
    if op_id in AMBIGUOUS:
        return "?"
    if op_id in FAST:
        return "fast-path"
    return "general"


def _body_params(doc, res):
    """operationId -> the schema of its Swagger 2.0 `in: body` parameter."""
    out = {}
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if not isinstance(op, dict) or "parameters" not in op:
                continue
            for prm in op["parameters"]:
                prm = res(prm)
                if prm.get("in") == "body":
                    out[op.get("operationId") or f"{method} {path}"] = prm.get("schema", {})
    return out


def _set_body(item, body):
    item["contentType"], item["body"] = "application/json", json.dumps(body, separators=(",", ":"))


def rows():
    doc = json.loads(registry.github(REPO, COMMIT, SPEC))
    res = oas_resolver(doc)
    schemas = _body_params(doc, res)
    ref = f"github:{REPO}@{COMMIT[:12]}:{SPEC}"
    out = []
    for it in oas_requests(doc, values, label, ref, base_path=doc.get("basePath", ""), optional_query=optional_by_hash):
        op_id = it["key"]
        if op_id in ("graphql.post", "graphql.batch"):
            continue
        if op_id in BODIES:
            _set_body(it, BODIES[op_id])
        elif op_id in schemas:
            body = oas_synth(res, schemas[op_id])
            _set_body(it, body if body is not None else {})
        out.append(it)
    return oas_sample(SOURCE["name"], out, CAPS)
