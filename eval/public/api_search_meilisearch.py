"""Meilisearch (search engine) REST API requests: the curl code samples of its documentation repository.

meilisearch/documentation (MIT) keeps one curl example for every endpoint of the reference, and the
examples of its guides, in .code-samples.meilisearch.yaml (the docs build fetches them from there). Each
sample is parsed as sent: method (-X), path and query of the URL (host placeholders such as MEILISEARCH_URL
dropped), Content-Type header and --data-binary body. Upper-case placeholders the docs leave in paths
(INDEX_NAME, WORKSPACE_NAME ...) get values of the docs' own examples (index `movies`, ...). Samples that
upload a file (`--data-binary @movies.json`) are left out: their body is not in the docs.

Labels follow Meilisearch's documented endpoint semantics, including the docs' list of settings whose
update re-indexes every document of the index (capabilities/indexing/advanced/indexing_best_practices.mdx,
and the how-to pages of distinctAttribute, prefixSearch and dictionary).
"""

import json
import re
import shlex
import urllib.parse

import registry

REPO = "meilisearch/documentation"
COMMIT = "52a04d8aec7990caca1a57424e0a92b54ce5d0b5"
SAMPLES = ".code-samples.meilisearch.yaml"

SOURCE = {
    "name": "search-meilisearch",
    "package": f"github:{REPO}@{COMMIT}:{SAMPLES}",
    "licence": "MIT (repository LICENSE, Meili SAS; the docs' OpenAPI file says MIT too)",
    "url": f"https://github.com/{REPO}/blob/{COMMIT}/{SAMPLES}",
    "label_rule": (
        "By the documented endpoint semantics (reference and guides of the docs), first match wins: "
        "high-compute: search over an index (GET/POST /indexes/{i}/search, POST /multi-search, facet-search, "
        "similar documents), chat completions (an LLM answer over searched documents), adding or updating "
        "several documents in one request (an indexing task), deleting documents by filter or all documents of "
        "an index, editing documents by function, dumps, snapshots, export to another instance, index and "
        "task-queue compaction, and updates or resets of the settings the docs say re-index every document "
        "(searchable, filterable, sortable attributes, stop words, synonyms, typo tolerance, embedders, "
        "dictionary, proximity precision, separator and non-separator tokens, distinct attribute, prefix search; "
        "PATCH/DELETE of all settings when it touches one of them); "
        "? : log and task/batch streams (long-lived connections), network topology changes and network control, "
        "render-template, a task's document payload, settings the docs say nothing about re-indexing for "
        "(localized attributes, facet search, foreign keys) and an embedder update that sets a distribution "
        "(documented not to re-index, but sent with source and model); "
        "fast-path: health, version, metrics, stats (one index or all), one index, one document, one task, "
        "one batch, one key, one webhook, one chat workspace or its settings, one search rule, experimental "
        "features, network, and reading settings; "
        "general: paged lists (indexes, documents with or without a filter, tasks, batches, keys, webhooks, "
        "chat workspaces, search rules, index fields), one-document writes, deleting a few documents by id "
        "(delete-batch), index create/update/delete, swap indexes (documented as an atomic swap of two indexes, without downtime), "
        "key, webhook, chat workspace and search-rule writes, task cancel/delete by uid, experimental features, "
        "log level, stopping a log stream, analytics events, and updates or resets of settings the docs say do not re-index "
        "(displayed attributes, ranking rules) or that only change search-time behaviour (pagination, "
        "faceting, search cutoff, chat)."
    ),
}

CAPS = {"fast-path": 45, "general": 45, "high-compute": 55, "?": 25}

# Placeholders of the docs' paths, with values of the docs' own examples.
PLACEHOLDERS = {
    "INDEX_UID": "movies",
    "INDEX_NAME": "movies",
    "WORKSPACE_NAME": "movies-chat",
    "BATCH_UID": "0",
    "WEBHOOK_UUID": "627ea538-733d-4545-8d2a-03526eb381ce",
    "TARGET_DOCUMENT_ID": "143",
    "EMBEDDER_NAME": "default",
}
# Samples whose request is identical to a held-out item (GET /metrics of oas-qdrant, GET /health of
# oas-influxdb): left out, so the held-out set shares no request with what is trained on.
HELDOUT_DUPLICATES = {"experimental_get_metrics_1", "get_health_1"}
HOST = re.compile(r"^(?:https?://)?(?:MEILISEARCH_URL|PROJECT_URL|<your-domain-name>)")

# Settings whose update re-indexes every document (indexing_best_practices.mdx, how-to pages).
REINDEX = {
    "searchableAttributes": "searchable-attributes",
    "filterableAttributes": "filterable-attributes",
    "sortableAttributes": "sortable-attributes",
    "stopWords": "stop-words",
    "synonyms": "synonyms",
    "typoTolerance": "typo-tolerance",
    "embedders": "embedders",
    "dictionary": "dictionary",
    "proximityPrecision": "proximity-precision",
    "separatorTokens": "separator-tokens",
    "nonSeparatorTokens": "non-separator-tokens",
    "distinctAttribute": "distinct-attribute",
    "prefixSearch": "prefix-search",
}
UNSTATED = {"localizedAttributes": "localized-attributes", "facetSearch": "facet-search", "foreignKeys": "foreign-keys"}
SEARCH_TIME = {"displayed-attributes", "ranking-rules", "pagination", "faceting", "search-cutoff-ms", "chat"}


def _settings_label(method, setting, body):
    """The label of a write (PUT/PATCH/DELETE) to /indexes/{i}/settings[/setting]."""
    if setting is None:  # all settings at once
        if method == "DELETE":
            return "high-compute"
        keys = set(body) if isinstance(body, dict) else set(re.findall(r'"(\w+)"\s*:', body or ""))
        if keys & {"embedders"} and _distribution_only(body):
            return "?"
        if keys & set(REINDEX):
            return "high-compute"
        return "?" if keys & set(UNSTATED) else "general"
    if setting == "embedders" and method != "DELETE" and _distribution_only({"embedders": body}):
        return "?"
    if setting in REINDEX.values():
        return "high-compute"
    if setting in UNSTATED.values():
        return "?"
    return "general" if setting in SEARCH_TIME else "?"


def _distribution_only(body):
    """True when every embedder of the body sets a distribution (documented not to re-index)."""
    embedders = body.get("embedders") if isinstance(body, dict) else None
    return isinstance(embedders, dict) and all(isinstance(e, dict) and "distribution" in e for e in embedders.values())


def _documents_label(method, parts, body):
    """The label of a request to /indexes/{i}/documents[/...]."""
    rest = parts[3:]
    if not rest:
        if method == "GET":
            return "general"  # a page of documents, with or without a filter
        if method == "DELETE":
            return "high-compute"  # every document of the index
        many = not isinstance(body, list) or len(body) != 1
        return "high-compute" if many else "general"
    if rest == ["fetch"]:
        return "general"
    if rest == ["delete-batch"]:
        return "general"  # a few documents named by primary key
    if rest in (["delete"], ["edit"]):
        return "high-compute"  # documents selected by a filter
    return "fast-path" if method == "GET" else "general"  # one document by id


def label(method, path, body):
    bare = path.split("?", 1)[0].rstrip("/")
    parts = bare.strip("/").split("/")
    top = parts[0]
    if top in ("multi-search", "dumps", "snapshots", "export"):
        return "high-compute"
    if top == "indexes" and len(parts) >= 3:
        sub = parts[2]
        if sub in ("search", "facet-search", "similar", "compact", "delete-by-filter"):
            return "high-compute"
        if sub == "documents":
            return _documents_label(method, parts, body)
        if sub == "settings":
            if method == "GET":
                return "fast-path"
            return _settings_label(method, parts[3] if len(parts) > 3 else None, body)
        if sub == "stats":
            return "fast-path"
        if sub == "fields":
            return "general"
        return "?"
    if top == "chats" and bare.endswith("/chat/completions"):
        return "high-compute"
    if top == "tasks" and len(parts) > 1 and parts[1] == "compact":
        return "high-compute"
    if (
        (bare.endswith("/stream") and method != "DELETE")
        or top in ("render-template",)
        or bare.startswith("/network/control")
    ):
        return "?"
    if top == "network":
        return "fast-path" if method == "GET" else "?"
    if top == "tasks" and parts[-1] == "documents":
        return "?"
    if method == "GET":
        if top in ("health", "version", "metrics", "stats", "experimental-features"):
            return "fast-path"
        return "fast-path" if len(parts) >= 2 else "general"  # one object by id, else a list
    if top == "dynamic-search-rules" and method == "POST" and len(parts) == 1:
        return "general"  # documented as the list of search rules
    return "general"


def _tokens(sample):
    """The curl command's arguments, or None when its quoting is broken."""
    try:
        return shlex.split(sample.replace("\\\n", " ").rstrip().rstrip("\\"))
    except ValueError:
        return None


def parse(sample):
    """(method, path, contentType, body) of one curl sample, or None for a file upload or no curl."""
    tokens = _tokens(sample)
    if tokens is None:  # an unclosed quote: take method and URL only
        m = re.search(r"-X (\w+) '?([^'\s]+)", sample)
        tokens = ["curl", "-X", m.group(1), m.group(2)] if m else None
    if not tokens or tokens[0] != "curl":
        return None
    method, url, ctype, body = "GET", None, "", ""
    i = 1
    while i < len(tokens):
        tok = tokens[i]
        if tok == "-X":
            method, i = tokens[i + 1], i + 2
            continue
        if tok == "-H":
            name, _, value = tokens[i + 1].partition(":")
            if name.strip().lower() == "content-type":
                ctype = value.strip()
            i += 2
            continue
        if tok.startswith("--data"):
            body, i = tokens[i + 1], i + 2
            continue
        if url is None and not tok.startswith("-"):
            url = tok
        i += 1
    if url is None or body.startswith("@"):
        return None
    path = HOST.sub("", url) or "/"
    for name, value in PLACEHOLDERS.items():
        path = path.replace(name, value)
    path = urllib.parse.quote(path, safe="/?&=,:%*._-~!$'()+;@")
    if not body:
        ctype = ""
    return method, path, ctype, _compact(body)


def _compact(body):
    try:
        return json.dumps(json.loads(body), separators=(",", ":"), ensure_ascii=False)
    except ValueError:
        return " ".join(body.split())


def rows():
    import yaml

    samples = yaml.safe_load(registry.github(REPO, COMMIT, SAMPLES).decode("utf-8"))
    items = []
    for key, sample in samples.items():
        if key in HELDOUT_DUPLICATES:
            continue
        req = parse(sample) if isinstance(sample, str) else None
        if req is None:
            continue
        method, path, ctype, body = req
        try:
            parsed = json.loads(body) if body else None
        except ValueError:
            parsed = body
        items.append(
            {
                "source": SOURCE["name"],
                "method": method,
                "path": path,
                "contentType": ctype,
                "body": body,
                "expected": label(method, path, parsed),
                "ref": f"github:{REPO}@{COMMIT[:12]}:{SAMPLES}#{key}",
            }
        )
    out = registry.sample(
        items,
        {**{it["expected"]: 0 for it in items}, **CAPS},
        ref=lambda r: r["ref"],
        label=lambda r: r["expected"],
        key=lambda r: (r["method"], r["path"], r["body"]),
    )
    return sorted(out, key=lambda r: r["ref"])
