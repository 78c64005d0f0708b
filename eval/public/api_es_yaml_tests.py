"""Elasticsearch REST requests: the `do:` steps of the YAML REST tests in the rest-api-spec jar.

The jar org.elasticsearch:rest-api-spec:7.10.2 (Maven Central; Apache-2.0, the last Elasticsearch
release under that licence that ships the tests: the 9.x jars carry the API specs only, and
8.x is not published) holds rest-api-spec/api/<api>.json (url paths + methods per API) and
rest-api-spec/test/**/*.yml (YAML tests written by Elastic). Each `do:` step names an API with
its parameters and body; it is turned into method + path + query + body the way the YAML test
runner does it: the spec path whose parts are all given, with the most parts, wins; the other
parameters become the query string; a list body is NDJSON (bulk, msearch, ...).

Steps that use a stashed value ($var, ${var}) or that expect a client-side parameter error
(catch: param) are skipped: they are no complete request. The functions here are shared with
api_os_yaml_tests.py (OpenSearch forked from Elasticsearch 7.10.2 and keeps the same format).
"""

import hashlib
import json
import re
import urllib.parse

import yaml

import registry

JAR = ("org.elasticsearch", "rest-api-spec", "7.10.2")

SOURCE = {
    "name": "es-yaml-tests",
    "package": "maven:org.elasticsearch:rest-api-spec:7.10.2",
    "version": "7.10.2",
    "licence": "Apache-2.0 (META-INF/LICENSE.txt in the jar; POM licence 'The Apache Software License, Version 2.0')",
    "url": "https://github.com/elastic/elasticsearch/tree/v7.10.2/rest-api-spec",
    "label_rule": None,  # filled in below from RULE
}

# Pools by API name (the name of the rest-api-spec/api/<name>.json file, as used in `do:`),
# decided from each API's documented purpose (rest-api-spec description + reference docs):
FAST = {
    # liveness / server & cluster info / status
    "ping",
    "info",
    "cluster.health",
    "cluster.state",
    "cluster.stats",
    "cluster.pending_tasks",
    "cluster.remote_info",
    "cluster.get_settings",
    "nodes.info",
    "nodes.stats",
    "nodes.usage",
    # one document by id / existence checks
    "get",
    "get_source",
    "exists",
    "exists_source",
    # index / template / pipeline / script / repository metadata
    "indices.get",
    "indices.exists",
    "indices.exists_alias",
    "indices.exists_template",
    "indices.exists_index_template",
    "indices.exists_type",
    "indices.get_alias",
    "indices.get_mapping",
    "indices.get_field_mapping",
    "indices.get_settings",
    "indices.get_template",
    "indices.get_index_template",
    "indices.get_data_stream",
    "indices.resolve_index",
    "indices.stats",
    "indices.segments",
    "indices.recovery",
    "indices.shard_stores",
    "cluster.get_component_template",
    "cluster.exists_component_template",
    "ingest.get_pipeline",
    "ingest.processor_grok",
    "get_script",
    "get_script_context",
    "get_script_languages",
    "snapshot.get_repository",
    "snapshot.get",
    "snapshot.status",
    "tasks.get",
    "tasks.list",
    "search_shards",
    "field_caps",
    # cat APIs: compact status/metadata tables read from cluster state and stats
    "cat.aliases",
    "cat.allocation",
    "cat.count",
    "cat.fielddata",
    "cat.health",
    "cat.indices",
    "cat.master",
    "cat.cluster_manager",
    "cat.nodeattrs",
    "cat.nodes",
    "cat.pending_tasks",
    "cat.plugins",
    "cat.recovery",
    "cat.repositories",
    "cat.segments",
    "cat.shards",
    "cat.snapshots",
    "cat.tasks",
    "cat.templates",
    "cat.thread_pool",
    # OpenSearch additions
    "get_all_pits",
    "search_pipeline.get",
    "cat.pit_segments",
}
GENERAL = {
    # one document: index / create / update / delete by id, small reads of a few docs
    "index",
    "create",
    "update",
    "delete",
    "mget",
    "termvectors",
    "explain",
    # index lifecycle & metadata writes
    "indices.create",
    "indices.delete",
    "indices.open",
    "indices.close",
    "indices.put_mapping",
    "indices.put_settings",
    "indices.put_alias",
    "indices.delete_alias",
    "indices.update_aliases",
    "indices.put_template",
    "indices.delete_template",
    "indices.put_index_template",
    "indices.delete_index_template",
    "indices.simulate_index_template",
    "indices.simulate_template",
    "indices.create_data_stream",
    "indices.delete_data_stream",
    "indices.add_block",
    "indices.rollover",
    "indices.refresh",
    "indices.flush",
    "indices.flush_synced",
    "indices.clear_cache",
    "indices.analyze",
    "indices.validate_query",
    "cluster.put_component_template",
    "cluster.delete_component_template",
    "cluster.put_settings",
    "cluster.post_voting_config_exclusions",
    "cluster.delete_voting_config_exclusions",
    "cluster.reroute",
    "cluster.allocation_explain",
    "nodes.reload_secure_settings",
    "ingest.put_pipeline",
    "ingest.delete_pipeline",
    "put_script",
    "delete_script",
    "snapshot.create_repository",
    "snapshot.delete_repository",
    "snapshot.verify_repository",
    "snapshot.delete",
    "tasks.cancel",
    # paging / sessions
    "scroll",
    "clear_scroll",
    # OpenSearch additions: point-in-time sessions, search pipeline definitions
    "create_pit",
    "delete_pit",
    "delete_all_pits",
    "search_pipeline.put",
    "search_pipeline.delete",
}
HIGH = {
    # bulk / multi-request NDJSON, by-query mass operations
    "bulk",
    "msearch",
    "msearch_template",
    "mtermvectors",
    "delete_by_query",
    "update_by_query",
    "reindex",
    "ingest.simulate",
    # heavy maintenance: segment merging, whole-index copies, snapshots
    "indices.forcemerge",
    "indices.upgrade",
    "indices.shrink",
    "indices.split",
    "indices.clone",
    "snapshot.create",
    "snapshot.restore",
    "snapshot.clone",
    "snapshot.cleanup_repository",
}
# search / count / search_template / rank_eval: high-compute when the body aggregates
# (aggs/aggregations), otherwise "?" (a plain query's cost depends on the query and the index:
# the documentation gives no class). count with no query at all (no body, no q) is a single
# counter: fast-path (also with an empty body {}).
SEARCHES = {"search", "count", "search_template", "rank_eval", "render_search_template"}

RULE = (
    "By API name (rest-api-spec/api/<name>.json, documented purpose). fast-path: "
    + ", ".join(sorted(FAST))
    + ". general: "
    + ", ".join(sorted(GENERAL))
    + ". high-compute: "
    + ", ".join(sorted(HIGH))
    + ". search/search_template/rank_eval: high-compute when the body has "
    "aggs or aggregations, else '?' (a plain query: cost not given by the docs); count: fast-path "
    "without any query (no or empty body, no q), else '?'. Any other API: '?'. Cap: at most 15 requests per "
    "API name and pool, at most 110 per pool (ambiguous: 120), chosen by sha256 of the ref."
)
SOURCE["label_rule"] = RULE

META = {"catch", "headers", "warnings", "allowed_warnings", "node_selector", "warnings_regex", "allowed_warnings_regex"}
PER_API, PER_LABEL, PER_AMBIGUOUS = 15, 110, 120


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates and times as the strings written in the test."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def label(api, params):
    if api in SEARCHES:
        body = params.get("body")
        text = json.dumps(body) if body is not None else ""
        if re.search(r'"(aggs|aggregations)"\s*:', text):
            return "high-compute"
        if api == "count" and not body and "q" not in params:
            return "fast-path"
        return "?"
    if api in FAST:
        return "fast-path"
    if api in GENERAL:
        return "general"
    if api in HIGH:
        return "high-compute"
    return "?"


def _stashed(value):
    text = json.dumps(value) if not isinstance(value, str) else value
    return bool(re.search(r'(^|[\s"])\$\w|\$\{', text))


def _compact(line):
    try:
        return json.dumps(json.loads(line), separators=(",", ":"), ensure_ascii=False)
    except ValueError:
        return line.strip()


def _qvalue(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return ",".join(_qvalue(x) for x in v)
    return str(v)


def request(spec, api, params):
    """(method, path-with-query, contentType, body) for one `do:` step, or None."""
    if api not in spec:
        return None
    s = spec[api]
    given = {k: v for k, v in params.items() if k not in ("body", "ignore")}
    best = None
    for p in s["url"]["paths"]:
        parts = set(p.get("parts", {}))
        if parts <= set(given):
            key = (len(parts), "deprecated" not in p)
            if best is None or key > best[0]:
                best = (key, p)
    if best is None:
        return None
    p = best[1]
    path = p["path"]
    for part in p.get("parts", {}):
        path = path.replace("{" + part + "}", urllib.parse.quote(_qvalue(given[part]), safe=",*"))
    query = [(k, _qvalue(v)) for k, v in given.items() if k not in p.get("parts", {})]
    if query:
        path += "?" + urllib.parse.urlencode(query, safe=",*")
    body = params.get("body")
    ndjson = (s.get("body") or {}).get("serialize") == "bulk" or any(
        "ndjson" in t for t in s.get("headers", {}).get("content_type", [])
    )
    if body is None:
        text, ctype = "", ""
    elif ndjson:
        items = body if isinstance(body, list) else [body]
        lines = []
        for item in items:
            if isinstance(item, str):
                lines.extend(_compact(line) for line in item.splitlines() if line.strip())
            else:  # one action or source line per list item
                lines.append(json.dumps(item, separators=(",", ":"), ensure_ascii=False))
        text, ctype = "".join(line + "\n" for line in lines), "application/x-ndjson"
    else:
        if isinstance(body, str):
            try:
                body = json.loads(body)
            except ValueError:
                pass
        text = body if isinstance(body, str) else json.dumps(body, separators=(",", ":"), ensure_ascii=False)
        ctype = "application/json"
    methods = p["methods"]
    if body is None:
        method = "GET" if "GET" in methods else methods[0]
    else:
        method = "POST" if methods[0] == "GET" and "POST" in methods else methods[0]
    return method, path, ctype, text


def steps(archive, jar_name):
    """(api, params, ref) for every complete `do:` step of the YAML tests, in file order."""
    files = sorted(
        (n, d)
        for n, d in registry.members(archive)
        if n.startswith("rest-api-spec/test/") and n.endswith((".yml", ".yaml"))
    )
    for name, data in files:
        try:
            docs = list(yaml.load_all(data.decode("utf-8"), Loader=_Loader))
        except yaml.YAMLError:
            continue
        for doc in docs:
            if not isinstance(doc, dict):
                continue
            for section, body in doc.items():
                if not isinstance(body, list):
                    continue
                n = 0
                for step in body:
                    if not isinstance(step, dict) or not isinstance(step.get("do"), dict):
                        continue
                    n += 1
                    do = step["do"]
                    if do.get("catch") == "param":
                        continue
                    apis = [k for k in do if k not in META]
                    if len(apis) != 1:
                        continue
                    params = do[apis[0]] or {}
                    if not isinstance(params, dict) or _stashed(params):
                        continue
                    yield apis[0], params, f"{jar_name}:{name}#{section}/{n}"


def load_spec(archive):
    spec = {}
    for name, data in registry.members(archive):
        if name.startswith("rest-api-spec/api/") and name.endswith(".json") and "/_common" not in name:
            spec.update(json.loads(data))
    return spec


def collect(source_name, archive, jar_name, exclude=frozenset()):
    spec = load_spec(archive)
    seen, candidates = set(exclude), []
    for api, params, ref in steps(archive, jar_name):
        req = request(spec, api, params)
        if req is None:
            continue
        key = req[0] + " " + req[1] + "\n" + req[3]
        if key in seen:
            continue
        seen.add(key)
        method, path, ctype, body = req
        candidates.append(
            {
                "source": source_name,
                "method": method,
                "path": path,
                "contentType": ctype,
                "body": body,
                "expected": label(api, params),
                "ref": ref,
                "note": "api=" + api,
                "_api": api,
            }
        )
    return sample(candidates)


def sample(candidates):
    """Deterministic: per API name and label at most PER_API, then per label at most PER_LABEL, by sha256(ref)."""
    digest = lambda r: hashlib.sha256(r["ref"].encode()).hexdigest()  # noqa: E731
    by_api = {}
    for r in sorted(candidates, key=digest):
        by_api.setdefault((r["_api"], r["expected"]), []).append(r)
    kept = [r for rs in by_api.values() for r in rs[:PER_API]]
    out, per_label = [], {}
    for r in sorted(kept, key=digest):
        cap = PER_AMBIGUOUS if r["expected"] == "?" else PER_LABEL
        if per_label.get(r["expected"], 0) < cap:
            per_label[r["expected"]] = per_label.get(r["expected"], 0) + 1
            out.append({k: v for k, v in r.items() if k != "_api"})
    return sorted(out, key=lambda r: r["ref"])


def all_requests(archive, jar_name):
    """Every distinct request (method, path, body) of the jar, before sampling (for exclusion)."""
    spec = load_spec(archive)
    keys = set()
    for api, params, _ in steps(archive, jar_name):
        req = request(spec, api, params)
        if req is not None:
            keys.add(req[0] + " " + req[1] + "\n" + req[3])
    return keys


def rows():
    archive = registry.maven(*JAR)
    return collect(SOURCE["name"], archive, archive.name)
