"""KServe model-server REST requests (KServe V1 and Open Inference Protocol V2) from the kserve sdist's tests.

The sdist of kserve (PyPI, Apache-2.0) ships test/test_server.py, which drives KServe's model
server over HTTP (`http_server_client.get/post(path, content=..., json=...)`). Each call whose
path is a string literal and whose body is a literal (or a name bound to a literal earlier in
the same test function) becomes one request. Small: the file repeats a few endpoints.
"""

import ast
import json

import registry

SOURCE = {
    "name": "kserve-server-tests",
    "package": "pypi:kserve==0.21.0:sdist",
    "version": "0.21.0",
    "licence": "Apache-2.0 (PKG-INFO License: Apache-2.0)",
    "url": "https://pypi.org/project/kserve/0.21.0/",
    "label_rule": (
        "By endpoint (KServe V1 protocol and Open Inference Protocol V2, as documented): fast-path: "
        "GET / (liveness), GET /v2/health/live|ready, GET /v1/models/{m} (model ready status), "
        "GET /v2/models/{m}/ready, GET /v2/models/{m} and GET /v2 (metadata), GET /v1/models and "
        "GET /v2/models (names of the loaded models), GET /metrics; high-compute: POST "
        "/v1/models/{m}:predict|:explain, POST /v2/models/{m}/infer|generate (inference); general: "
        "POST /v2/repository/models/{m}/load|unload; anything else (e.g. an unknown path): '?'."
    ),
}


def label(method, path):
    if method == "GET":
        if path in ("/", "/metrics", "/v1/models", "/v2/models", "/v2", "/v2/health/live", "/v2/health/ready"):
            return "fast-path"
        if path.startswith("/v1/models/") and ":" not in path:
            return "fast-path"
        if path.startswith("/v2/models/") and (path.endswith("/ready") or path.count("/") == 3):
            return "fast-path"
    if method == "POST":
        if path.startswith("/v1/models/") and path.endswith((":predict", ":explain")):
            return "high-compute"
        if path.startswith("/v2/models/") and path.endswith(("/infer", "/generate")):
            return "high-compute"
        if path.startswith("/v2/repository/models/") and path.endswith(("/load", "/unload")):
            return "general"
    return "?"


def literal_calls(source, verbs=("get", "post", "put", "delete", "head")):
    """(lineno, verb, path, kwargs) for client calls with a literal path; kwargs values resolved
    to literals (bound names within the same function too), or the call is skipped."""
    tree = ast.parse(source)
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        bound = {}
        for node in ast.walk(fn):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                try:
                    bound[node.targets[0].id] = ast.literal_eval(node.value)
                except (ValueError, SyntaxError, TypeError):
                    bound.pop(node.targets[0].id, None)
        for node in ast.walk(fn):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in verbs
                and node.args
            ):
                continue
            first = node.args[0]
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str) and first.value.startswith("/")):
                continue
            kwargs, ok = {}, True
            for kw in node.keywords:
                if kw.arg in ("headers", "timeout"):
                    continue
                try:
                    kwargs[kw.arg] = ast.literal_eval(kw.value)
                except (ValueError, SyntaxError, TypeError):
                    if isinstance(kw.value, ast.Name) and kw.value.id in bound:
                        kwargs[kw.arg] = bound[kw.value.id]
                    else:
                        ok = False
            if ok:
                yield node.lineno, fn.name, node.func.attr.upper(), first.value, kwargs


def body_of(kwargs):
    if "json" in kwargs:
        return json.dumps(kwargs["json"], separators=(",", ":"), ensure_ascii=False)
    raw = kwargs.get("content", kwargs.get("data", b""))
    text = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
    try:
        return json.dumps(json.loads(text), separators=(",", ":"), ensure_ascii=False) if text else ""
    except ValueError:
        return text


def rows():
    archive = registry.pypi("kserve", "0.21.0", sdist=True)
    out, seen = [], set()
    for name, data in sorted(registry.members(archive)):
        if not name.endswith("/test/test_server.py"):
            continue
        for lineno, fn, method, path, kwargs in sorted(literal_calls(data.decode("utf-8"))):
            body = body_of(kwargs)
            key = (method, path, body)
            if key in seen:
                continue
            seen.add(key)
            out.append(
                registry.api_row(
                    SOURCE["name"],
                    method,
                    path,
                    "application/json" if body else "",
                    body,
                    label(method, path),
                    f"{archive.name}:{name.split('/', 1)[1]}:{lineno}",
                    note=fn,
                )
            )
    return out
