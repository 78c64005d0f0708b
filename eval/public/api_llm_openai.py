"""OpenAI REST requests: the generated API tests of the `openai` Python sdist, mapped to HTTP by api.md.

The sdist of openai (PyPI, Apache-2.0) ships api.md files whose method lines read
    <code title="post /chat/completions">client.chat.completions.<a ...>create</a>(**params) ...
(HTTP method + path template for each client method), and tests/api_resources/**/test_*.py,
generated from the provider's OpenAPI spec, which call each method with the spec's example
values. Each `client.<resource>.<method>(...)` call of a synchronous test_method_* test whose
arguments are all literals becomes one request: path parameters (positional, or keywords named
like a `{param}`) fill the template; for GET/DELETE/HEAD the other arguments are the query
string, for POST/PUT/PATCH the JSON body. Calls that upload bytes (multipart files) or use
non-literal values, and the test_path_params_* tests (empty ids on purpose), are skipped.
The same code reads the anthropic sdist (api_llm_anthropic.py), which has the same layout.
"""

import ast
import hashlib
import json
import re
import urllib.parse

import registry

SOURCE = {
    "name": "openai-sdk-tests",
    "package": "pypi:openai==3.51.0:sdist",
    "version": "3.51.0",
    "licence": "Apache-2.0 (LICENSE, PKG-INFO License-Expression)",
    "url": "https://pypi.org/project/openai/3.51.0/",
    "label_rule": None,
}

# (method, path-template regex, pool), first match wins; paths as in api.md with the {param}
# names replaced by {}. Decided from each endpoint's documented purpose in the SDK docstrings.
OPENAI_RULES = [
    # model inference / generation / embedding / moderation / grading / ML analysis
    (
        "POST",
        r"/completions|/chat/completions|/embeddings|/moderations|/images/(generations|edits|variations)"
        r"|/audio/(speech|transcriptions|translations)|/responses|/responses/compact|/decisions"
        r"|/content_provenance_checks|/fine_tuning/alpha/graders/run|/videos|/videos/(edits|extensions)"
        r"|/videos/\{\}/remix|/threads/runs|/threads/\{\}/runs|/threads/\{\}/runs/\{\}/submit_tool_outputs"
        r"|/vector_stores/\{\}/search|/agents/sessions/\{\}/events|/agents/automations/\{\}/invocations",
        "high-compute",
    ),
    # batch jobs, training, evaluation runs, bulk embedding ingestion
    (
        "POST",
        r"/batches|/fine_tuning/jobs|/evals/\{\}/runs|/vector_stores/\{\}/file_batches"
        r"|/vector_stores/\{\}/files",
        "high-compute",
    ),
    # usage / cost / audit reports
    ("GET", r"/organization/(usage/.*|costs|audit_logs)", "high-compute"),
    # token counting: runs the tokenizer over the whole input but no model: not given by the docs
    ("POST", r"/responses/input_tokens", "?"),
    # models: list and retrieve are metadata reads
    ("GET", r"/models|/models/\{\}", "fast-path"),
    # file / artifact contents: downloads of arbitrary size
    ("GET", r".*/content", "general"),
    # one resource by id, or a singleton settings object
    (
        "GET",
        r".*/\{\}|/organization/(data_retention|spend_limit)|/organization/projects/\{\}/"
        r"(data_retention|spend_limit|service_tier_settings)",
        "fast-path",
    ),
    # everything else: lists (paged, filtered), create/update/delete/cancel of one record,
    # sessions, keys, secrets, uploads
    ("GET", r".*", "general"),
    ("POST", r".*", "general"),
    ("DELETE", r".*", "general"),
    ("PUT", r".*", "general"),
    ("PATCH", r".*", "general"),
]


def rule_text(rules):
    return (
        "By HTTP method + path template of api.md, first match wins: "
        + "; ".join(f"{m} {p} -> {pool}" for m, p, pool in rules)
        + ". Cap: at most 6 requests per endpoint, "
        "110 per pool, by sha256 of the ref."
    )


SOURCE["label_rule"] = rule_text(OPENAI_RULES)

TITLE = re.compile(r'<code title="(\w+) ([^"]+)">client\.((?:\w+\.)*?)<a href="[^"]*">(\w+)</a>\(([^)]*)\)')
SKIP_KW = {"extra_headers", "extra_query", "extra_body", "timeout", "betas"}
PER_ENDPOINT, PER_LABEL = 6, 110


def endpoints(files):
    """'chat.completions.create' -> (METHOD, path template, [positional names])."""
    out = {}
    for name, data in files:
        if not name.endswith("api.md"):
            continue
        for m in TITLE.finditer(data.decode("utf-8")):
            method, path, chain, fn, args = m.groups()
            positional = [
                a.strip()
                for a in re.sub(r"<[^>]+>", "", args).split(",")
                if a.strip() and not a.strip().startswith(("\\*", "*"))
            ]
            out[chain + fn] = (method.upper(), path, positional)
    return out


def _chain(func):
    parts = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if isinstance(func, ast.Name) and func.id == "client":
        return ".".join(reversed(parts))
    return None


def _has_bytes(value):
    if isinstance(value, (bytes, bytearray)):
        return True
    if isinstance(value, dict):
        return any(_has_bytes(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_has_bytes(v) for v in value)
    return False


def _qvalue(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _query(params):
    pairs = []
    for k, v in params.items():
        if isinstance(v, (list, tuple)):
            pairs.extend((k + "[]", _qvalue(x)) for x in v)
        elif isinstance(v, dict):
            pairs.extend((f"{k}[{kk}]", _qvalue(vv)) for kk, vv in v.items())
        else:
            pairs.append((k, _qvalue(v)))
    return urllib.parse.urlencode(pairs)


def calls(files, eps):
    """(chain, args, kwargs, ref) for each literal client call in sync test_method_* tests."""
    for name, data in sorted(files):
        if "/tests/api_resources/" not in name or not name.endswith(".py"):
            continue
        tree = ast.parse(data.decode("utf-8"))
        for cls in tree.body:
            if not isinstance(cls, ast.ClassDef) or cls.name.startswith("TestAsync"):
                continue
            for fn in cls.body:
                if not isinstance(fn, ast.FunctionDef) or not fn.name.startswith("test_method_"):
                    continue
                n = 0
                for node in ast.walk(fn):
                    if not isinstance(node, ast.Call):
                        continue
                    chain = _chain(node.func)
                    if chain is None or chain not in eps:
                        continue
                    n += 1
                    try:
                        args = [ast.literal_eval(a) for a in node.args]
                        kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords if k.arg not in SKIP_KW}
                    except (ValueError, SyntaxError, TypeError):
                        continue
                    if None in kwargs or _has_bytes(args) or _has_bytes(kwargs):
                        continue
                    short = name.split("/", 1)[1]
                    yield chain, args, kwargs, f"{short}::{cls.name}.{fn.name}#{n}"


def label(rules, method, template):
    shape = re.sub(r"\{[^}]+\}", "{}", template)
    for m, pattern, pool in rules:
        if m == method and re.fullmatch(pattern, shape):
            return pool
    return "?"


def collect(source_name, archive, rules):
    files = [(n, d) for n, d in registry.members(archive) if n.endswith((".py", ".md"))]
    eps = endpoints(files)
    seen, candidates = set(), []
    for chain, args, kwargs, ref in calls(files, eps):
        method, template, positional = eps[chain]
        template, _, fixed_query = template.partition("?")
        values = dict(zip(positional, args))
        names = re.findall(r"\{(\w+)\}", template)
        for k in names:
            if k in kwargs:
                values[k] = kwargs.pop(k)
        if any(k not in values or values[k] in ("", None) for k in names):
            continue
        path = template
        for k in names:
            path = path.replace("{" + k + "}", urllib.parse.quote(str(values[k]), safe=""))
        if method in ("GET", "DELETE", "HEAD"):
            query, body, ctype = _query(kwargs), "", ""
        else:
            query = ""
            body = json.dumps(kwargs, separators=(",", ":"), ensure_ascii=False) if kwargs else ""
            ctype = "application/json" if kwargs else ""
        query = "&".join(q for q in (fixed_query, query) if q)
        target = path + ("?" + query if query else "")
        key = method + " " + target + "\n" + body
        if key in seen:
            continue
        seen.add(key)
        candidates.append(
            registry.api_row(
                source_name,
                method,
                target,
                ctype,
                body,
                label(rules, method, template),
                f"{archive.name}:{ref}",
                note=f"client.{chain} = {method} {template}",
            )
        )
    return sample(candidates)


def sample(candidates):
    digest = lambda r: hashlib.sha256(r["ref"].encode()).hexdigest()  # noqa: E731
    per, kept = {}, []
    for r in sorted(candidates, key=digest):
        key = r["note"].split(" = ", 1)[1]
        if per.get(key, 0) < PER_ENDPOINT:
            per[key] = per.get(key, 0) + 1
            kept.append(r)
    out, per_label = [], {}
    for r in kept:
        if per_label.get(r["expected"], 0) < PER_LABEL:
            per_label[r["expected"]] = per_label.get(r["expected"], 0) + 1
            out.append(r)
    return sorted(out, key=lambda r: r["ref"])


def rows():
    return collect(SOURCE["name"], registry.pypi("openai", "3.51.0", sdist=True), OPENAI_RULES)
