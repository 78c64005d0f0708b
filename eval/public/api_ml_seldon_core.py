"""Seldon Core v1 microservice requests: the REST calls of its Python wrapper's tests.

SeldonIO/seldon-core (Apache-2.0 at the pinned v1 commit) wraps a user's model, router, combiner or
transformer in a small REST service (python/seldon_core/wrapper.py; documented in
openapi/wrapper.oas3.json): `/predict`, `/route`, `/aggregate`, `/transform-input`, `/transform-output`,
`/send-feedback` (GET with the payload in a `json` query parameter, or POST), `/api/v1.0/predictions` and
`/api/v1.0/feedback` (and v0.1) with a JSON body, and `/metadata`, `/metrics`, `/seldon.json`. The wrapper's
tests (python/tests/test_*_microservice.py, test_metadata.py, test_metrics.py ...) call it through Flask's
test client; every call whose path is a literal (and whose body, if any, is a literal) becomes one
request (api_ml_kserve.literal_calls). The GET payloads are written raw in the tests; here the `json` value
is URL-encoded as an HTTP client sends it (urlencode). At most 6 per endpoint shape (method, endpoint).
"""

import json
import urllib.parse

import registry
from api_ml_kserve import literal_calls

REPO = "SeldonIO/seldon-core"
COMMIT = "19f2c88238efe2f71ccabdb00dddaa52bee5a92e"
TESTS = tuple(
    f"python/tests/{name}.py"
    for name in (
        "test_model_microservice",
        "test_router_microservice",
        "test_combiner_microservice",
        "test_transformer_microservice",
        "test_metadata",
        "test_metrics",
        "test_application_exception_microservice",
        "test_runtime_metrics_tags",
    )
)

SOURCE = {
    "name": "ms-seldon-core",
    "package": f"github:{REPO}@{COMMIT}: {', '.join(TESTS)}",
    "licence": "Apache-2.0 (repository LICENSE at the pinned commit, Seldon Core v1; later v2 is BSL 1.1, not used)",
    "url": f"https://github.com/SeldonIO/seldon-core/tree/{COMMIT}/python/tests",
    "label_rule": (
        "By the documented endpoint of the v1 microservice API (openapi/wrapper.oas3.json, engine.oas3.json): "
        "fast-path: GET /metadata, /metrics, /seldon.json, /health/ping, /health/status (metadata, metrics, the "
        "API document, probes); high-compute: /predict (GET with a json payload or POST) and POST "
        "/api/v0.1|v1.0/predictions (model inference); general: /send-feedback and POST /api/v0.1|v1.0/feedback "
        "(a reward for one earlier prediction: a small write), /route (a router returns the child to send a "
        "request to: a small operation); '?': /transform-input, /transform-output (pre- or post-processing whose "
        "cost is the user's code: feature scaling or a model), /aggregate (a combiner: averaging or a "
        "meta-model), and any request whose payload is missing or not JSON."
    ),
}

CAP = 6
FAST = {"/metadata", "/metrics", "/seldon.json", "/health/ping", "/health/status"}
GENERAL = {"/send-feedback", "/route", "/api/v0.1/feedback", "/api/v1.0/feedback"}
HEAVY = {"/predict", "/api/v0.1/predictions", "/api/v1.0/predictions"}
FORM = "application/x-www-form-urlencoded"
BOUNDARY = "seldon"  # the multipart boundary (the test client picks its own)


def _has_payload(request):
    """True if a GET's json query parameter parses as JSON, or a POST has a body."""
    method, path, body, *_ = request
    if method != "GET":
        return bool(body)
    values = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query).get("json")
    try:
        json.loads(values[0]) if values else None
    except ValueError:
        return False
    return bool(values)


def label(request):
    method, path, *_ = request
    endpoint = urllib.parse.urlsplit(path).path
    if method == "GET" and endpoint in FAST:
        return "fast-path"
    if not _has_payload(request):
        return "?"
    if endpoint in HEAVY:
        return "high-compute"
    if endpoint in GENERAL:
        return "general"
    return "?"


def _request(method, path, kwargs, ref):
    """(method, path, body, content type, ref) as the test client's call would go over HTTP."""
    if method == "GET":
        bare, _, query = path.partition("?")
        if query:
            path = bare + "?" + urllib.parse.urlencode([p.partition("=")[::2] for p in query.split("&")])
        return ("GET", path, "", "", ref)
    if "json" in kwargs:
        return (method, path, json.dumps(kwargs["json"]), "application/json", ref)
    data = kwargs.get("data", {})
    if kwargs.get("content_type", "").startswith("multipart/"):
        parts = "".join(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in data.items()
        )
        return (method, path, parts + f"--{BOUNDARY}--\r\n", f"multipart/form-data; boundary={BOUNDARY}", ref)
    return (method, path, urllib.parse.urlencode(data), FORM, ref)


def requests():
    out = []
    for test in TESTS:
        text = registry.github_text(REPO, COMMIT, test)
        for lineno, fn, method, path, kwargs in sorted(literal_calls(text)):
            ref = f"github:{REPO}@{COMMIT[:12]}:{test}:{lineno} ({fn})"
            out.append(_request(method, path, kwargs, ref))
    return out


def rows():
    items = requests()
    shape = lambda r: (label(r), r[0], urllib.parse.urlsplit(r[1]).path)
    taken = registry.sample(
        items,
        {s: CAP for s in map(shape, items)},
        ref=lambda r: r[4],
        label=shape,
        key=lambda r: (r[0], r[1], r[2]),
    )
    return sorted(
        (registry.api_row(SOURCE["name"], r[0], r[1], r[3], r[2], label(r), r[4]) for r in taken),
        key=lambda r: r["ref"],
    )
