"""TensorFlow Serving REST requests: the calls its tests and docs send to the model server.

tensorflow/serving (Apache-2.0) serves a small REST API (g3doc/api_rest.md): model status
`GET /v1/models/{m}[/versions/{v}|/labels/{l}]`, model metadata `GET .../metadata`, and inference
`POST .../{m}[...]:predict|:classify|:regress` with a JSON body (row "instances" or columnar "inputs"
for predict, "examples" for classify/regress); Prometheus metrics at `/monitoring/prometheus/metrics`.
The requests are the project's own, read from files at a pinned commit (tfserving_extract.py):

- model_servers/http_rest_api_handler_test.cc: every ProcessRequest(method, path, body) call;
- model_servers/http_rest_api_util_test.cc: the GET paths of ParseModelInfo (its POSTs have no body);
- model_servers/tensorflow_model_server_test.py: every CallREST(url, json_req) (urllib; form content type);
- g3doc/api_rest.md and g3doc/docker.md, experimental/.../remote_predict/README.md: every curl command;
  api_rest.md's documented request bodies (row, columnar, binary classify), sent to docker.md's `my_model`;
- tools/docker/tests: the predict request of each Docker image test (model and body per image);
- example/resnet_client.py: its JPEG predict body, the image replaced by api_rest.md's short b64 value.

Status and metadata are also read (GET, as documented) for every model, version and label these
requests name, except those the tests use to provoke "not found" and the percent-encoded names of the
path-parsing test. At most 6 per endpoint shape
(method, endpoint, version/label selector, body format), the project's own requests first.
"""

import json
import re

import registry
import tfserving_extract as extract

REPO = "tensorflow/serving"
COMMIT = "9d981c5c2708d23c5407c7c1e30309e6f9798874"
SERVERS = "tensorflow_serving/model_servers/"
HANDLER_TEST = SERVERS + "http_rest_api_handler_test.cc"
UTIL_TEST = SERVERS + "http_rest_api_util_test.cc"
SERVER_TEST = SERVERS + "tensorflow_model_server_test.py"
API_DOC = "tensorflow_serving/g3doc/api_rest.md"
CURL_DOCS = (
    API_DOC,
    "tensorflow_serving/g3doc/docker.md",
    "tensorflow_serving/experimental/tensorflow/ops/remote_predict/README.md",
)
DOCKER_TESTS = "tensorflow_serving/tools/docker/tests/"
DOCKER_LIB = DOCKER_TESTS + "docker_test_lib.sh"
DOCKER_IMAGES = ("dockerfile_test.sh", "dockerfile_gpu_test.sh", "dockerfile_mkl_test.sh", "dockerfile_gpu_trt_test.sh")
RESNET = "tensorflow_serving/example/resnet_client.py"

SOURCE = {
    "name": "ms-tfserving",
    "package": f"github:{REPO}@{COMMIT}: REST calls of model_servers tests, g3doc pages, Docker tests, resnet_client.py",
    "licence": "Apache-2.0 (repository LICENSE)",
    "url": f"https://github.com/tensorflow/serving/blob/{COMMIT}/{API_DOC}",
    "label_rule": (
        "By the documented REST API (g3doc/api_rest.md; the server's path grammar, model name [^/:]+, version "
        "digits, label [^/:]+), as kserve-server-tests labels the same KServe V1-style paths: fast-path: GET "
        "/v1/models/{m}[/versions/{v}|/labels/{l}] (model status, the state of its versions), GET "
        "/v1/models/{m}[/versions/{v}|/labels/{l}]/metadata (model metadata, signatures), GET "
        "/monitoring/prometheus/metrics (metrics); high-compute: POST /v1/models/{m}[/versions/{v}|/labels/{l}]"
        ":predict|:classify|:regress with a JSON object body holding 'instances' or 'inputs' (predict) or "
        "'examples' (classify, regress): inference, whatever the model or batch size, also for model names the "
        "server does not have (a balancer cannot tell). The API has no write, so no general item. Anything "
        "else: '?': a path outside the grammar (GET /v1/models without a name, /v1/foo, /version/ for "
        "/versions/, a non-numeric version), a method the path does not take (GET ...:predict, POST "
        "...metadata), an inference POST with an empty, non-JSON body or a body without its inputs."
    ),
}

CAP = 6
MY_MODEL = "my_model"  # docker.md's example model name, for api_rest.md's bodies (they name no model)
SHORT_B64 = "aW1hZ2UgYnl0ZXM="  # api_rest.md's example image value, for resnet_client.py's JPEG
# Names the tests and docs use to provoke "not found": no status or metadata read is added for them.
NOT_FOUND = {"foo", "half", "saved_model_half_plus_two_2_versions99", "Version_Nonexistent"}
JSON_CT = "application/json"

_SELECTOR = r"(?:/versions/(?P<version>\d+)|/labels/(?P<label>[^/:]+))?"
STATUS = re.compile(rf"/v1/models/(?P<model>[^/:]+){_SELECTOR}(?P<metadata>/metadata)?")
INFER = re.compile(rf"/v1/models/(?P<model>[^/:]+){_SELECTOR}:(?P<verb>predict|classify|regress)")
METRICS = "/monitoring/prometheus/metrics"
INPUT_KEYS = {"predict": ("instances", "inputs"), "classify": ("examples",), "regress": ("examples",)}


def _body_key(verb, body):
    """The input key ('instances', 'inputs' or 'examples') of an inference body, or None."""
    try:
        value = json.loads(body)
    except ValueError:
        return None
    keys = [k for k in INPUT_KEYS[verb] if isinstance(value, dict) and k in value]
    return keys[0] if keys else None


def shape(method, path, body):
    """(label, endpoint shape) of a request: the shape is what the per-shape cap counts."""
    if method == "GET" and path == METRICS and not body:
        return "fast-path", "GET metrics"
    m = STATUS.fullmatch(path)
    if method == "GET" and m and not body:
        selector = "version" if m["version"] else "label" if m["label"] else "latest"
        return "fast-path", f"GET {'metadata' if m['metadata'] else 'status'} {selector}"
    m = INFER.fullmatch(path)
    if method == "POST" and m and (not m["version"] or int(m["version"]) < 2**63):
        key = _body_key(m["verb"], body)
        if key:
            selector = "version" if m["version"] else "label" if m["label"] else "latest"
            return "high-compute", f"POST {m['verb']} {selector} {key}"
    return "?", f"? {method}"


def _read(path):
    return registry.github_text(REPO, COMMIT, path)


def _ref(path, where):
    return f"github:{REPO}@{COMMIT[:12]}:{path}:{where}"


def project_requests():
    """(method, path, body, content type, ref) of every request the project's files send."""
    out = [
        (m, p, b, JSON_CT if b else "", _ref(HANDLER_TEST, w))
        for m, p, b, w in extract.cc_calls(_read(HANDLER_TEST), "ProcessRequest")
    ]
    out += [
        (m, p, "", "", _ref(UTIL_TEST, w))
        for m, p, _, w in extract.cc_calls(_read(UTIL_TEST), "ParseModelInfo")
        if m == "GET"
    ]
    out += [(m, p, b, ct, _ref(SERVER_TEST, w)) for m, p, b, ct, w in extract.py_calls(_read(SERVER_TEST))]
    for doc in CURL_DOCS:
        out += [(m, p, b, ct, _ref(doc, w)) for m, p, b, ct, w in extract.curl_calls(_read(doc))]
    for title, value, line in extract.doc_bodies(_read(API_DOC)):
        verb = "classify" if "examples" in value else "predict"
        body = json.dumps(value, separators=(",", ":"))
        out.append(("POST", f"/v1/models/{MY_MODEL}:{verb}", body, JSON_CT, _ref(API_DOC, f"line {line} ({title})")))
    lib = re.search(r"http://localhost:8501(/v1/models/\$\{MODELNAME\}:predict)", _read(DOCKER_LIB)).group(1)
    for name in DOCKER_IMAGES:
        text = _read(DOCKER_TESTS + name)
        model = re.search(r'^declare -r MODELNAME="([^"]+)"', text, re.M).group(1)
        body = re.search(r"^declare -r REQUEST='([^']+)'", text, re.M).group(1)
        path = lib.replace("${MODELNAME}", model)
        out.append(("POST", path, body, extract.FORM, _ref(DOCKER_TESTS + name, "REQUEST with " + DOCKER_LIB)))
    text = _read(RESNET)
    url = re.search(r"^SERVER_URL = 'http://localhost:8501(/[^']+)'", text, re.M).group(1)
    template = re.search(r"""predict_request = '(\{"instances" : \[\{"b64": "%s"\}\]\})'""", text).group(1)
    out.append(("POST", url, template.replace("%s", SHORT_B64), "", _ref(RESNET, "predict_request (JPEG as b64)")))
    return out


def read_requests(requests):
    """GET status and metadata for each model, version and label the well-formed requests name."""
    selectors = set()
    for method, path, body, *_ in requests:
        label, _ = shape(method, path, body)
        m = (STATUS if method == "GET" else INFER).fullmatch(path)
        if label == "?" or not m or {m["model"], m["label"]} & NOT_FOUND or "%" in path:
            continue
        selectors.add((m["model"], ""))
        if m["version"] or m["label"]:
            sub = f"/versions/{m['version']}" if m["version"] else f"/labels/{m['label']}"
            selectors.add((m["model"], sub))
    out = []
    for model, sub in sorted(selectors):
        for tail, what in (("", "model status"), ("/metadata", "model metadata")):
            ref = _ref(API_DOC, f"{what} of {model}{sub} (named by the tests or docs)")
            out.append(("GET", f"/v1/models/{model}{sub}{tail}", "", "", ref))
    return out


def _row(request):
    method, path, body, content_type, ref = request
    return registry.api_row(SOURCE["name"], method, path, content_type, body, shape(method, path, body)[0], ref)


def rows():
    own = project_requests()
    shape_of = lambda r: shape(r[0], r[1], r[2])[1]
    key = lambda r: (r[0], r[1], r[2])
    shapes = {shape_of(r) for r in own} | {shape_of(r) for r in read_requests(own)}
    taken = registry.sample(own, {s: CAP for s in shapes}, ref=lambda r: r[4], label=shape_of, key=key)
    room = {s: CAP - sum(shape_of(r) == s for r in taken) for s in shapes}
    seen = {key(r) for r in own}
    extra = [r for r in read_requests(own) if key(r) not in seen]
    taken += registry.sample(extra, room, ref=lambda r: r[4], label=shape_of, key=key)
    return sorted((_row(r) for r in taken), key=lambda r: r["ref"])
