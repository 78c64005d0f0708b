"""Open Inference Protocol (V2) requests to Seldon MLServer: its OpenAPI specs, bodies from its test data.

SeldonIO/MLServer (Apache-2.0) ships the REST protocol it serves as two OpenAPI files,
mlserver/rest/openapi/dataplane.json (health, metadata, infer, infer_stream, generate, generate_stream)
and model_repository.json (repository index, load, unload). Each operation is sent for the models of
MLServer's own examples and tests (sum-model of the tests; mnist-svm, mushroom-xgboost, iris-lgb,
wine-classifier, catboost and income-tabular-drift of the runtime examples; text-model for generation),
with the version MLServer's docs use where they give one. Inference bodies are the repository's test
requests: tests/testdata/*request*.json and each runtime's tests/testdata/inference-request.json.
Small protocol: 18 operations; the items differ by model, version and body.
"""

import json

import registry

REPO = "SeldonIO/MLServer"
COMMIT = "a325e523b5a580d49aeb06e19e73e4a90176b63b"
SPECS = ("mlserver/rest/openapi/dataplane.json", "mlserver/rest/openapi/model_repository.json")

SOURCE = {
    "name": "ml-mlserver",
    "package": f"github:{REPO}@{COMMIT}:{', '.join(SPECS)} and test request files",
    "licence": "Apache-2.0 (repository LICENSE; info.license of dataplane.json: Apache 2.0)",
    "url": "https://github.com/SeldonIO/MLServer/tree/a325e523b5a580d49aeb06e19e73e4a90176b63b/mlserver/rest/openapi",
    "label_rule": (
        "By the documented operationId (Open Inference Protocol V2, as KServe's rule): fast-path: server-live, "
        "server-ready, server-metadata, model-ready, model-version-ready, model-metadata, model-version-metadata "
        "(probes and metadata); high-compute: model-inference, model-version-inference, model-inference-stream, "
        "model-version-inference-stream, model-generate, model-version-generate, model-generate-stream, "
        "model-version-generate-stream (inference); general: repository-index (the list of the repository's "
        "models), load-model, model-unload (one model loaded or unloaded, as kserve-server-tests labels them)."
    ),
}

CAPS = {"fast-path": 24, "general": 16, "high-compute": 32, "?": 0}
FAST = {
    "server-live",
    "server-ready",
    "server-metadata",
    "model-ready",
    "model-version-ready",
    "model-metadata",
    "model-version-metadata",
}
GENERAL = {"repository-index", "load-model", "model-unload"}

# model name, version (None: the docs use none), request files for infer, for generate.
TESTDATA = "tests/testdata/"
MODELS = (
    ("sum-model", "v1.2.3", (TESTDATA + "inference-request.json", TESTDATA + "inference-request-with-output.json"), ()),
    ("mnist-svm", "v0.1.0", ("runtimes/sklearn/tests/testdata/inference-request.json",), ()),
    ("mushroom-xgboost", "v0.1.0", ("runtimes/xgboost/tests/testdata/inference-request.json",), ()),
    ("iris-lgb", "v0.1.0", ("runtimes/lightgbm/tests/testdata/inference-request.json",), ()),
    ("wine-classifier", None, ("runtimes/mlflow/tests/testdata/inference-request.json",), ()),
    ("catboost", "v0.1.0", ("runtimes/catboost/tests/testdata/inference-request.json",), ()),
    (
        "income-tabular-drift",
        "v0.1.0",
        ("runtimes/alibi-detect/tests_alibi_detect/testdata/inference-request.json",),
        (),
    ),
    ("text-model", "v1.2.3", (), (TESTDATA + "generate-request.json",)),
)
INDEX_BODIES = ({}, {"ready": True})


def label(op_id):
    if op_id in FAST:
        return "fast-path"
    if op_id in GENERAL:
        return "general"
    if "inference" in op_id or "generate" in op_id:
        return "high-compute"
    return "?"


def _body(path):
    return json.dumps(json.loads(registry.github(REPO, COMMIT, path)), separators=(",", ":"))


def _operations():
    """(operationId, METHOD, path template, spec path) of every operation of the two specs."""
    for spec in SPECS:
        doc = json.loads(registry.github(REPO, COMMIT, spec))
        for path, item in doc["paths"].items():
            for method, op in item.items():
                if method in ("get", "post", "put", "delete"):
                    yield op["operationId"], method.upper(), path, spec


def _requests(op_id, path):
    """(path, body file or literal body, what) for one operation over the models."""
    if "{model_name}" not in path:
        if op_id == "repository-index":
            return [(path, json.dumps(b, separators=(",", ":")), f"body {json.dumps(b)}") for b in INDEX_BODIES]
        return [(path, "", "")]
    out = []
    for name, version, infer_files, generate_files in MODELS:
        if "{model_version}" in path and version is None:
            continue
        target = path.replace("{model_name}", name).replace("{model_version}", version or "")
        if "generate" in op_id or op_id.endswith("inference-stream"):
            files = generate_files
        elif "inference" in op_id:
            files = infer_files
        else:
            out.append((target, "", name))
            continue
        out += [(target, _body(f), f"{name} with {f}") for f in files]
    return out


def rows():
    items = []
    for op_id, method, path, spec in _operations():
        for target, body, what in _requests(op_id, path):
            ref = f"github:{REPO}@{COMMIT[:12]}:{spec}#{op_id}" + (f" ({what})" if what else "")
            items.append(
                registry.api_row(
                    SOURCE["name"], method, target, "application/json" if body else "", body, label(op_id), ref
                )
            )
    return registry.sample_rows(items, CAPS)
