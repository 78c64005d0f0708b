"""TorchServe REST requests: the curl commands of the pytorch/serve repository's Markdown docs and examples.

pytorch/serve (Apache-2.0) documents its three REST APIs with curl lines: the inference API on port 8080
(ping, predictions, explanations, KServe-style v1/v2 routes, workflow predictions), the management API on
8081 (register, scale, describe, list, unregister models and workflows, set a default version, tokens) and
the metrics API on 8082. Every `curl` line of the Markdown files in FILES (the files whose curl lines call
localhost or 127.0.0.1 on those ports) becomes one request: the method (-X, else PUT for -T, POST for -d or
-F, else GET), the path and query of the URL, and the body. Shell pipes and `&` split a line into several
commands; a backslash continues a line. URLs with shell or template placeholders (`${...}`, `<...>`,
`{...}`) are skipped.

Bodies, as curl sends them: a literal -d body as written; `-d @file` and `-T file` read the file from the
repository at the same commit when it is there and is text (.json or .txt: resolved from the Markdown
file's folder, then from the repository root, with a leading `serve/` or `./` dropped); images, audio,
tensors and files the repository lacks are sent as an empty body (the corpus holds text only). -F is
multipart/form-data with an empty body. Content type: the -H Content-Type if given, else curl's default
(application/x-www-form-urlencoded for -d, none for -T). Identical requests are kept once, and three
requests already in the corpus are left out (LEFT_OUT); the 100-odd inference requests are capped at 48
(sampled by a sha256 of the ref), fast-path and general kept whole.
"""

import json
import posixpath
import re
import shlex

import registry

REPO = "pytorch/serve"
COMMIT = "62c4d6a1fdc1d071dbcf758ebd756029af20bd5e"
FILES = tuple(
    """
README.md docker/README.md docs/batch_inference_with_ts.md docs/getting_started.md docs/inference_api.md
docs/llm_deployment.md docs/management_api.md docs/metrics_api.md docs/workflow_inference_api.md
docs/workflow_management_api.md examples/FasterTransformer_HuggingFace_Bert/README.md
examples/Huggingface_Transformers/README.md examples/MMF-activity-recognition/README.md
examples/Workflows/dog_breed_classification/README.md examples/Workflows/nmt_transformers_pipeline/README.md
examples/cloud_storage_stream_inference/README.md examples/cpp/aot_inductor/bert/README.md
examples/cpp/aot_inductor/llama2/README.md examples/cpp/aot_inductor/resnet/README.md
examples/cpp/babyllama/README.md examples/cpp/llamacpp/README.md examples/custom_endpoint_plugin/README.md
examples/custom_metrics/README.md examples/dcgan_fashiongen/Readme.md examples/image_classifier/alexnet/README.md
examples/image_classifier/densenet_161/README.md examples/image_classifier/mnist/Docker.md
examples/image_classifier/mnist/README.md examples/image_classifier/resnet_152_batch/README.md
examples/image_classifier/resnet_18/README.md examples/image_classifier/squeezenet/README.md
examples/image_classifier/vgg_16/README.md examples/image_segmenter/deeplabv3/README.md
examples/image_segmenter/fcn/README.md examples/large_models/Huggingface_accelerate/Readme.md
examples/large_models/Huggingface_accelerate/llama/Readme.md examples/large_models/Huggingface_pippy/Readme.md
examples/large_models/deepspeed/Readme.md examples/large_models/gpt_fast/README.md
examples/large_models/gpt_fast_mixtral_moe/README.md examples/large_models/inferentia2/opt/Readme.md
examples/large_models/ipex_llm_int8/README.md examples/large_models/tp_llama/README.md
examples/large_models/vllm/lora/Readme.md examples/micro_batching/README.md examples/nmt_transformer/README.md
examples/nvidia_dali/README.md examples/object_detector/fast-rcnn/README.md
examples/object_detector/maskrcnn/README.md examples/object_detector/yolo/yolov8/README.md
examples/pt2/torch_compile/README.md examples/pt2/torch_compile_hpu/README.md
examples/pt2/torch_compile_openvino/README.md examples/pt2/torch_export_aot_compile/README.md
examples/pt2/torch_inductor_caching/README.md examples/speech2text_wav2vec2/README.md
examples/stateful/sequence_batching/Readme.md examples/stateful/sequence_continuous_batching/Readme.md
examples/text_classification/README.md examples/text_classification_with_scriptable_tokenizer/README.md
examples/text_to_speech_synthesizer/SpeechT5/README.md examples/text_to_speech_synthesizer/WaveGlow/README.md
examples/torch_tensorrt/torchcompile/T5/README.md examples/torch_tensorrt/torchcompile/resnet50/README.md
examples/torch_tensorrt/torchscript/README.md examples/torchrec_dlrm/README.md
examples/xgboost_classfication/README.md kubernetes/examples/FasterTransformer_HuggingFace_Bert.md
kubernetes/examples/mnist/MNIST.md kubernetes/kserve/developer_guide.md kubernetes/kserve/image_transformer/README.md
kubernetes/kserve/kf_request_json/v2/bert/README.md kubernetes/kserve/kf_request_json/v2/mnist/README.md
kubernetes/kserve/kserve_wrapper/README.md
""".split()
)
URL = re.compile(r"^(?:https?://)?(?:localhost|127\.0\.0\.1):(8080|8081|8082)(/[^#]*)?$")
TEXT_FILES = (".json", ".txt")
MAX_BODY = 100_000
SEPARATORS = {"&", "&&", "|", "||", ";"}
# Requests already in the corpus, left out: the training set must not repeat them, and the held-out set
# must share no request with it.
LEFT_OUT = {
    ("GET", "/models", ""): "same request as openai-sdk-tests' list models (fast-path there)",
    ("GET", "/metrics", ""): "same request as kserve-server-tests'; in api-heldout.jsonl (InfluxDB, Qdrant)",
    ("GET", "/ping", ""): "in api-heldout.jsonl (InfluxDB)",
}
CAPS = {"high-compute": 48}  # predictions dominate the docs; fast-path and general are kept whole

SOURCE = {
    "name": "ml-torchserve",
    "package": f"github:{REPO}@{COMMIT}: curl lines of {len(FILES)} Markdown files (docs/, examples/, kubernetes/)",
    "licence": "Apache-2.0 (repository LICENSE)",
    "url": "https://github.com/pytorch/serve/blob/62c4d6a1fdc1d071dbcf758ebd756029af20bd5e/docs/management_api.md",
    "label_rule": (
        "By the documented endpoint (docs/inference_api.md, management_api.md, metrics_api.md, workflow_*.md). "
        "fast-path: GET /ping, GET /model-ready (the custom-endpoint example's readiness probe), OPTIONS / (the "
        "API description), GET /models/{m}[/{v}|/all] (describe a model: its status and workers), GET "
        "/workflows/{w} (describe a workflow), GET /v1/models/{m} and GET /v2/models/{m}[/ready] (KServe "
        "status and metadata), GET /metrics (port 8082). high-compute: any request to /predictions/, "
        "/explanations/, /wfpredict/, /v1/models/{m}:predict|:explain, /v2/models/{m}/infer|explain (inference). "
        "general: GET /models[/] and GET /workflows (paged lists), POST /models and /workflows (register: load a "
        "model archive, as the corpus labels repository load), PUT /models/{m}... (scale workers, set the "
        "default version), DELETE /models/... and /workflows/... (unregister), GET /token (new API keys). '?': "
        "describe with customized=true (runs the model handler's own describe code)."
    ),
}


def label(method, path):
    bare, _, query = path.partition("?")
    if re.match(r"/(predictions|explanations|wfpredict)/", bare):
        return "high-compute"
    if re.fullmatch(r"/v1/models/[^/]+:(predict|explain)", bare):
        return "high-compute"
    if re.fullmatch(r"/v2/models/[^/]+(/versions/[^/]+)?/(infer|explain)", bare):
        return "high-compute"
    if method == "OPTIONS" and bare in ("", "/"):
        return "fast-path"
    if method == "GET":
        if bare in ("/ping", "/model-ready", "/metrics"):
            return "fast-path"
        if re.fullmatch(r"/v1/models/[^/:]+|/v2/models/[^/]+(/ready)?", bare):
            return "fast-path"
        if bare.rstrip("/") in ("/models", "/workflows", "/token"):
            return "general"
        if re.fullmatch(r"/(models|workflows)/[^/]+(/[^/]+)?", bare):
            return "?" if "customized=true" in query else "fast-path"
        return "?"
    if method in ("POST", "PUT", "DELETE") and re.match(r"/(models|workflows)(/|$)", bare):
        return "general"
    return "?"


def _commands(text):
    """(line number, argv) of each curl command of the Markdown text."""
    lines = text.split("\n")
    n = 0
    while n < len(lines):
        start, line = n + 1, lines[n]
        while line.rstrip().endswith("\\") and n + 1 < len(lines):
            n += 1
            line = line.rstrip()[:-1] + " " + lines[n].strip()
        n += 1
        stripped = line.strip().removeprefix("$ ")
        if not stripped.startswith("curl "):
            continue
        lexer = shlex.shlex(stripped, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        try:
            tokens = list(lexer)
        except ValueError:
            continue
        argv = []
        for token in tokens + [";"]:
            if token in SEPARATORS:
                if argv and argv[0] == "curl":
                    yield start, argv
                argv = []
            else:
                argv.append(token)


def _parse(argv):
    """(method, url, headers, data, upload, form) of one curl argv."""
    method, url, headers, data, upload, form = None, None, {}, None, None, False
    args = iter(argv[1:])
    for arg in args:
        if arg in ("-X", "--request"):
            method = next(args, "").upper()
        elif arg in ("-H", "--header"):
            name, _, value = next(args, "").partition(":")
            headers[name.strip().lower()] = value.strip()
        elif arg in ("-d", "--data", "--data-binary", "--data-raw"):
            data = next(args, "")
        elif arg in ("-T", "--upload-file"):
            upload = next(args, "")
        elif arg in ("-F", "--form"):
            next(args, "")
            form = True
        elif arg in ("-o", "-w", "--cookie", "--output"):
            next(args, "")
        elif not arg.startswith("-"):
            url = arg
    if method is None:
        method = "PUT" if upload else "POST" if data is not None or form else "GET"
    return method, url, headers, data, upload, form


def _repo_file(doc, name, paths):
    """The repository path a Markdown file's relative file name refers to, or None."""
    name = name.removeprefix("./").removeprefix("serve/")
    for candidate in (posixpath.normpath(posixpath.join(posixpath.dirname(doc), name)), posixpath.normpath(name)):
        if candidate in paths:
            return candidate
    return None


def _file_body(doc, name, paths):
    """(body, what) of a file sent with -d @file or -T file."""
    found = _repo_file(doc, name, paths)
    if found is None or not found.endswith(TEXT_FILES):
        return "", f"{name}: binary or not in the repository, empty body"
    text = registry.github(REPO, COMMIT, found).decode("utf-8")
    if found.endswith(".json"):
        try:
            text = json.dumps(json.loads(text), separators=(",", ":"), ensure_ascii=False)
        except ValueError:
            pass
    if len(text) > MAX_BODY:
        return "", f"{found}: over {MAX_BODY} characters, empty body"
    return text, found


def _request(doc, argv, paths):
    """(method, path, content type, body, note) of one curl command, or None if it is not for TorchServe."""
    method, url, headers, data, upload, form = _parse(argv)
    m = URL.match(url or "")
    if not m or re.search(r"[$<>{}]", url):
        return None
    path = m.group(2) or "/"
    content_type, body, note = headers.get("content-type", ""), "", ""
    if form:
        content_type, note = "multipart/form-data", "form upload, empty body"
    elif data is not None:
        content_type = content_type or "application/x-www-form-urlencoded"
        body, note = _file_body(doc, data[1:], paths) if data.startswith("@") else (data, "")
    elif upload:
        body, note = _file_body(doc, upload, paths)
    return method, path, content_type, body, note


def rows():
    paths = set()
    for top in ("cpp", "docs", "examples", "kubernetes"):
        paths.update(registry.github_paths(REPO, COMMIT, top))
    items, seen = [], set()
    for doc in FILES:
        text = registry.github(REPO, COMMIT, doc).decode("utf-8")
        for line_no, argv in _commands(text):
            request = _request(doc, argv, paths)
            if request is None:
                continue
            method, path, content_type, body, note = request
            key = (method, path, body)
            if key in seen or key in LEFT_OUT:
                continue
            seen.add(key)
            row = {
                "source": SOURCE["name"],
                "method": method,
                "path": path,
                "contentType": content_type,
                "body": body,
                "expected": label(method, path),
                "ref": f"github:{REPO}@{COMMIT[:12]}:{doc}:{line_no}",
            }
            if note:
                row["note"] = note
            items.append(row)
    out, taken = [], {}
    for row in sorted(items, key=lambda r: registry.sort_key(r["ref"])):
        if taken.get(row["expected"], 0) >= CAPS.get(row["expected"], len(items)):
            continue
        taken[row["expected"]] = taken.get(row["expected"], 0) + 1
        out.append(row)
    return sorted(out, key=lambda r: r["ref"])
