"""Ollama REST requests: the HTTP expectations of the `ollama` Python sdist's client tests.

tests/test_client.py of the ollama sdist (PyPI, MIT) declares, with pytest-httpserver, the exact
requests the client must send: httpserver.expect_ordered_request('/api/chat', method='POST',
json={...}). Each expectation with a literal path (or a PrefixPattern's literal prefix) and a
literal JSON body is one request; the blob-upload expectations, whose path is a regex, are skipped.
"""

import ast
import json

import registry

SOURCE = {
    "name": "ollama-client-tests",
    "package": "pypi:ollama==0.6.3:sdist",
    "version": "0.6.3",
    "licence": "MIT (LICENSE: Copyright (c) Ollama)",
    "url": "https://pypi.org/project/ollama/0.6.3/",
    "label_rule": (
        "By Ollama API endpoint (docs/api.md of Ollama): high-compute: POST /api/generate, /api/chat, "
        "/api/embed, /api/embeddings (model inference); POST /api/create, /api/pull, /api/push (long-running "
        "model builds and transfers of gigabytes, streamed progress); general: DELETE /api/delete, POST "
        "/api/copy, POST /api/blobs/{digest}; fast-path: GET /api/tags, GET /api/ps, POST /api/show, GET "
        "/api/version, HEAD /api/blobs/{digest}; anything else '?'."
    ),
}

POOLS = {
    ("POST", "/api/generate"): "high-compute",
    ("POST", "/api/chat"): "high-compute",
    ("POST", "/api/embed"): "high-compute",
    ("POST", "/api/embeddings"): "high-compute",
    ("POST", "/api/create"): "high-compute",
    ("POST", "/api/pull"): "high-compute",
    ("POST", "/api/push"): "high-compute",
    ("DELETE", "/api/delete"): "general",
    ("POST", "/api/copy"): "general",
    ("GET", "/api/tags"): "fast-path",
    ("GET", "/api/ps"): "fast-path",
    ("POST", "/api/show"): "fast-path",
    ("GET", "/api/version"): "fast-path",
}


def _path(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "PrefixPattern"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ):
        return node.args[0].value
    return None


def rows():
    archive = registry.pypi("ollama", "0.6.3", sdist=True)
    data = registry.read(archive, "/tests/test_client.py").decode("utf-8")
    out, seen = [], set()
    for node in sorted((n for n in ast.walk(ast.parse(data)) if isinstance(n, ast.Call)), key=lambda n: n.lineno):
        if not (isinstance(node.func, ast.Attribute) and node.func.attr.startswith("expect") and node.args):
            continue
        path = _path(node.args[0])
        kw = {k.arg: k.value for k in node.keywords}
        if path is None or "method" not in kw:
            continue
        try:
            method = ast.literal_eval(kw["method"])
            body = ast.literal_eval(kw["json"]) if "json" in kw else None
        except (ValueError, SyntaxError):
            continue
        text = json.dumps(body, separators=(",", ":"), ensure_ascii=False) if body is not None else ""
        if (method, path, text) in seen:
            continue
        seen.add((method, path, text))
        out.append(
            registry.api_row(
                SOURCE["name"],
                method,
                path,
                "application/json" if text else "",
                text,
                POOLS.get((method, path), "?"),
                f"{archive.name}:tests/test_client.py:{node.lineno}",
                note="",
            )
        )
    return out
