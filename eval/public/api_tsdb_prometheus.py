"""Prometheus HTTP API requests from the project's own documentation (a time-series database).

prometheus/prometheus (Apache-2.0) documents its HTTP API in Markdown. Four files of the repository
at a pinned commit give the requests:

- docs/querying/api.md: every curl example (method, path, query, `--data-urlencode` values: with -G
  in the query, without it as a form-encoded POST body), and every endpoint form listed in the
  sections' code blocks (`GET /api/v1/query`, `POST /api/v1/query` ...) once with the section's
  documented URL parameters filled (values of the section's curl example, else the docs' examples);
  the POST form of a GET/POST endpoint sends them form-encoded, as the docs say;
- docs/management_api.md: the health, readiness, reload and quit endpoints;
- docs/federation.md: the `/federate` request of the documented scrape configuration;
- docs/querying/examples.md: each documented PromQL expression as an instant query and, unless it
  is a range vector, as a range query with the api.md example's start, end and step.
"""

import re
import shlex
import urllib.parse

import registry

REPO = "prometheus/prometheus"
COMMIT = "d15adb9ad7e5d9fbde3a9a8f30200593a5a14d86"
API_DOC = "docs/querying/api.md"
MGMT_DOC = "docs/management_api.md"
FED_DOC = "docs/federation.md"
EXAMPLES_DOC = "docs/querying/examples.md"

SOURCE = {
    "name": "tsdb-prometheus",
    "package": f"github:{REPO}@{COMMIT}:{API_DOC}, {MGMT_DOC}, {FED_DOC}, {EXAMPLES_DOC}",
    "licence": "Apache-2.0 (repository LICENSE)",
    "url": f"https://github.com/{REPO}/blob/{COMMIT}/{API_DOC}",
    "label_rule": (
        "By the documented endpoint (api.md, management_api.md, federation.md), first match wins: "
        "high-compute: PromQL evaluation over stored samples (/api/v1/query, the docs' 'evaluates an "
        "instant query', with a timeout and sample statistics; /api/v1/query_range, evaluated at every step; "
        "/api/v1/query_exemplars over a time range), series matching (/api/v1/series; /api/v1/labels and "
        "/api/v1/label/<name>/values when a match[] selector is given), the search endpoints (/api/v1/search/*: "
        "fuzzy search over all names or values), TSDB cardinality statistics (/api/v1/status/tsdb), the TSDB "
        "admin APIs (snapshot of all data, delete_series, clean_tombstones) and /federate (exports every "
        "matching series); "
        "? : /api/v1/notifications/live (a server-sent event stream that stays open) and /-/quit (shuts the "
        "server down); "
        "fast-path: probes (/-/healthy, /-/ready), the status reads of configuration and build "
        "(status/config, flags, runtimeinfo, buildinfo, walreplay, self_metrics), /api/v1/features, the OpenAPI "
        "document, the configured scrape pool names and one pool's configuration, format_query and "
        "parse_query (parse one expression, no data read), relabel_steps (applies one pool's rules to one "
        "given label set) and /api/v1/metadata?metric=<one metric>; "
        "general: the other lists (labels and label values without match[], targets, rules, alerts, "
        "alertmanagers, targets/metadata, metadata, status/tsdb/blocks, notifications) and /-/reload."
    ),
}

CAPS = {"fast-path": 60, "general": 60, "high-compute": 48, "?": 10}
FORM_CT = "application/x-www-form-urlencoded"
ENDPOINT = re.compile(r"^(GET|POST|PUT|HEAD|DELETE)\s+(/\S+)\s*$")
PARAM = re.compile(r"^- `([\w\[\]]+)=")

# Parameter values for endpoints whose section has no curl example, and for the parameters the
# example leaves out: the docs' own example values where they give one.
VALUES = {
    "query": "up",
    "time": "2015-07-01T20:10:51.781Z",
    "start": "2015-07-01T20:10:30.781Z",
    "end": "2015-07-01T20:11:00.781Z",
    "step": "15s",
    "timeout": "30s",
    "limit": "100",
    "lookback_delta": "5m",
    "stats": "all",
    "match[]": "up",
    "search[]": "http_req",
    "fuzz_threshold": "50",
    "fuzz_alg": "subsequence",
    "case_sensitive": "false",
    "sort_by": "score",
    "include_score": "true",
    "batch_size": "100",
    "include_metadata": "true",
    "label": "instance",
    "scrapePool": "prometheus",
    "labels": '{"__address__":"localhost:9090","job":"prometheus"}',
    "type": "alert",
    "rule_name[]": "HighRequestLatency",
    "rule_group[]": "example",
    "file[]": "/rules.yaml",
    "exclude_alerts": "true",
    "group_limit": "10",
    "match_target": '{job="prometheus"}',
    "metric": "go_goroutines",
    "limit_per_metric": "1",
    "metric_name_pattern": "prometheus_tsdb_.*",
    "skip_head": "true",
    "state": "active",
}
PLACEHOLDERS = {"<label_name>": "job"}
# The search section lists the parameters of its three endpoints together; these belong to one only.
NOT_FOR = {
    ("/api/v1/search/metric_names", "label"),
    ("/api/v1/search/label_names", "label"),
    ("/api/v1/search/label_names", "include_metadata"),
    ("/api/v1/search/label_values", "include_metadata"),
}


def label(method, path, params):
    """The pool of one request by its documented endpoint (see SOURCE['label_rule'])."""
    names = {name for name, _ in params}
    if path in ("/api/v1/query", "/api/v1/query_range", "/api/v1/query_exemplars", "/api/v1/series", "/federate"):
        return "high-compute"
    if path.startswith("/api/v1/search/") or path.startswith("/api/v1/admin/tsdb/") or path == "/api/v1/status/tsdb":
        return "high-compute"
    if path == "/api/v1/labels" or re.fullmatch(r"/api/v1/label/[^/]+/values", path):
        return "high-compute" if "match[]" in names else "general"
    if path in ("/api/v1/notifications/live", "/-/quit"):
        return "?"
    if path in ("/-/healthy", "/-/ready", "/api/v1/features", "/api/v1/openapi.yaml", "/api/v1/scrape_pools"):
        return "fast-path"
    if path.startswith("/api/v1/status/") and path != "/api/v1/status/tsdb/blocks":
        return "fast-path"
    if path in ("/api/v1/scrape_pools/config", "/api/v1/format_query", "/api/v1/parse_query"):
        return "fast-path"
    if path == "/api/v1/targets/relabel_steps":
        return "fast-path"
    if path == "/api/v1/metadata" and "metric" in names:
        return "fast-path"
    return "general"


def _encode(params):
    return urllib.parse.urlencode(params, safe="[]:/,")


def _row(method, path, params, in_body, ref, raw_query=None):
    """One corpus row; params go in the query string, or form-encoded in the body with in_body."""
    query = raw_query if raw_query is not None else ("" if in_body else _encode(params))
    body = _encode(params) if in_body and params else ""
    return {
        "source": SOURCE["name"],
        "method": method,
        "path": path + ("?" + query if query else ""),
        "contentType": FORM_CT if body else "",
        "body": body,
        "expected": label(method, path, params),
        "ref": ref,
    }


def parse_curl(command):
    """(method, path, raw query as written, params, in_body) of one documented curl command line."""
    tokens = shlex.split(command.replace("\\\n", " "))
    method, get, data, url = None, False, [], None
    i = 1
    while i < len(tokens):
        tok = tokens[i]
        if tok.startswith("-X"):
            method = tok[2:] or tokens[i + 1]
            i += 0 if tok[2:] else 1
        elif tok == "-G":
            get = True
        elif tok == "--data-urlencode":
            data.append(tuple(tokens[i + 1].split("=", 1)))
            i += 1
        elif "localhost" in tok:
            url = tok
        i += 1
    parts = urllib.parse.urlsplit(url if "://" in url else "http://" + url)
    params = [tuple(p.split("=", 1)) for p in parts.query.split("&") if p]
    if data and not get:
        return method or "POST", parts.path, parts.query, params, data
    if data:
        return method or "GET", parts.path, None, params + data, None
    return method or "GET", parts.path, parts.query, params, None


def sections(text):
    """(title, body) of each ## or ### section of a Markdown document."""
    chunks = re.split(r"^#{2,3} ", text, flags=re.M)[1:]
    return [(c.split("\n", 1)[0].strip(), c) for c in chunks]


def api_rows(doc, text):
    out = []
    for title, body in sections(text):
        ref = f"github:{REPO}@{COMMIT[:12]}:{doc}#{title}"
        example = {}
        for n, block in enumerate(re.findall(r"```bash\n(.*?)```", body, re.S)):
            method, path, raw, params, form = parse_curl(block.strip())
            if form is not None:
                out.append(_row(method, path, params + form, True, f"{ref} curl {n + 1}", raw_query=raw))
            else:
                out.append(_row(method, path, params, False, f"{ref} curl {n + 1}", raw_query=raw))
            example.setdefault(path, params + (form or []))
        documented = []
        for line in body.split("\n"):
            m = PARAM.match(line.strip())
            if m and m.group(1) not in documented:
                documented.append(m.group(1))
        endpoints = []
        for block in re.findall(r"```\n(.*?)```", body, re.S):
            for line in block.split("\n"):
                m = ENDPOINT.match(line.strip())
                if m and (m.group(1), m.group(2)) not in endpoints:
                    endpoints.append((m.group(1), m.group(2)))
        has_get = {path for method, path in endpoints if method == "GET"}
        for method, path in endpoints:
            path, _, inline = path.partition("?")
            names = documented + [p.split("=", 1)[0] for p in inline.split("&") if p]
            for key, value in PLACEHOLDERS.items():
                path = path.replace(key, value)
            given = example.get(path, [])
            params = []
            for name in names:
                if (path, name) in NOT_FOR or name not in VALUES:
                    continue
                params += [(k, v) for k, v in given if k == name] or [(name, VALUES[name])]
            in_body = method == "POST" and path in has_get
            out.append(_row(method, path, params, in_body, f"{ref} {method} {path} (documented parameters)"))
            if given and in_body:
                out.append(_row(method, path, given, True, f"{ref} {method} {path} (curl example)"))
    for path, query in (("/api/v1/openapi.yaml", ""), ("/api/v1/openapi.yaml", "openapi_version=3.2")):
        ref = f"github:{REPO}@{COMMIT[:12]}:{doc}#OpenAPI Specification {query}".strip()
        out.append(_row("GET", path, [], False, ref, raw_query=query))
    return out


def federation_rows(text):
    m = re.search(r"'match\[\]':\n((?:\s+- '.*'\n)+)", text)
    selectors = re.findall(r"- '(.*)'", m.group(1))
    params = [("match[]", s) for s in selectors]
    return [_row("GET", "/federate", params, False, f"github:{REPO}@{COMMIT[:12]}:{FED_DOC}#params")]


def expressions(text):
    """Each PromQL expression of examples.md (indented code blocks; listings of series skipped)."""
    out = []
    for block in re.findall(r"\n\n((?:    .*\n)+)", text):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if "..." in lines or not lines:
            continue
        out.append(" ".join(" ".join(lines).split()).replace("( ", "(").replace(" )", ")"))
    return out


def example_rows(text):
    out = []
    for n, expr in enumerate(expressions(text)):
        ref = f"github:{REPO}@{COMMIT[:12]}:{EXAMPLES_DOC}#expression {n + 1}"
        out.append(_row("GET", "/api/v1/query", [("query", expr), ("time", VALUES["time"])], False, ref))
        if not expr.endswith("]"):
            params = [("query", expr)] + [(k, VALUES[k]) for k in ("start", "end", "step")]
            out.append(_row("GET", "/api/v1/query_range", params, False, ref + " range"))
    return out


def management_rows(text):
    out = []
    for title, body in sections(text):
        for line in body.split("\n"):
            m = ENDPOINT.match(line.strip())
            if m:
                ref = f"github:{REPO}@{COMMIT[:12]}:{MGMT_DOC}#{title} {m.group(1)}"
                out.append(_row(m.group(1), m.group(2), [], False, ref))
    return out


def rows():
    def read(path):
        return registry.github(REPO, COMMIT, path).decode("utf-8")

    items = (
        api_rows(API_DOC, read(API_DOC))
        + management_rows(read(MGMT_DOC))
        + federation_rows(read(FED_DOC))
        + example_rows(read(EXAMPLES_DOC))
    )
    picked = registry.sample(
        items,
        CAPS,
        ref=lambda r: r["ref"],
        label=lambda r: r["expected"],
        key=lambda r: (r["method"], r["path"], r["contentType"], r["body"]),
    )
    return sorted(picked, key=lambda r: r["ref"])
