"""TorchServe REST requests: the curl examples of its documentation and example READMEs.

pytorch/serve (Apache-2.0) documents its three HTTP listeners (inference :8080, management :8081,
metrics :8082) with curl lines: docs/inference_api.md, management_api.md, metrics_api.md,
workflow_*_api.md and other docs pages, and each example's README (register a model, scale its
workers, send it an image or a text). Every curl command to a local TorchServe in the Markdown files
listed in DOCS becomes one request, as curl sends it (method, path and query; the port is dropped).
Commands whose URL holds a placeholder (`<your_model_name>`, `${MODEL_NAME}`) are skipped.

Bodies: a text or JSON file that the command uploads (-T) or posts (-d @file) is read from the
repository at the same commit (resolved against the README's folder, then the repository root;
a leading "serve/" dropped), else the command is skipped. An image, audio or tensor file becomes a short placeholder of its media
type ("<image/jpeg bytes of kitten.jpg>"), for -F inside a multipart/form-data part. curl -T sends no
Content-Type; these rows carry the uploaded file's media type (jpg image/jpeg, png image/png,
txt text/plain, json application/json, wav audio/wav, pt application/octet-stream).
"""

import functools
import posixpath

import curl_requests
import registry

REPO = "pytorch/serve"
COMMIT = "62c4d6a1fdc1d071dbcf758ebd756029af20bd5e"
DOCS = (
    "README.md",
    *(
        "docs/" + p
        for p in (
            "Troubleshooting.md",
            "batch_inference_with_ts.md",
            "getting_started.md",
            "hardware_support/apple_silicon_support.md",
            "inference_api.md",
            "llm_deployment.md",
            "management_api.md",
            "metrics_api.md",
            "model_api_control.md",
            "token_authorization_api.md",
            "use_cases.md",
            "workflow_inference_api.md",
            "workflow_management_api.md",
        )
    ),
    *(
        "examples/" + p
        for p in (
            "FasterTransformer_HuggingFace_Bert/README.md",
            "Huggingface_Transformers/README.md",
            "MMF-activity-recognition/README.md",
            "Workflows/dog_breed_classification/README.md",
            "Workflows/nmt_transformers_pipeline/README.md",
            "cloud_storage_stream_inference/README.md",
            "cpp/aot_inductor/bert/README.md",
            "cpp/aot_inductor/llama2/README.md",
            "cpp/aot_inductor/resnet/README.md",
            "cpp/babyllama/README.md",
            "cpp/llamacpp/README.md",
            "custom_endpoint_plugin/README.md",
            "custom_metrics/README.md",
            "dcgan_fashiongen/Readme.md",
            "image_classifier/alexnet/README.md",
            "image_classifier/densenet_161/README.md",
            "image_classifier/mnist/Docker.md",
            "image_classifier/mnist/README.md",
            "image_classifier/resnet_152_batch/README.md",
            "image_classifier/resnet_18/README.md",
            "image_classifier/squeezenet/README.md",
            "image_classifier/vgg_16/README.md",
            "image_segmenter/deeplabv3/README.md",
            "image_segmenter/fcn/README.md",
            "large_models/Huggingface_accelerate/Readme.md",
            "large_models/Huggingface_accelerate/llama/Readme.md",
            "large_models/Huggingface_pippy/Readme.md",
            "large_models/deepspeed/Readme.md",
            "large_models/gpt_fast/README.md",
            "large_models/gpt_fast_mixtral_moe/README.md",
            "large_models/inferentia2/opt/Readme.md",
            "large_models/ipex_llm_int8/README.md",
            "large_models/tp_llama/README.md",
            "large_models/vllm/lora/Readme.md",
            "micro_batching/README.md",
            "nmt_transformer/README.md",
            "nvidia_dali/README.md",
            "object_detector/fast-rcnn/README.md",
            "object_detector/maskrcnn/README.md",
            "object_detector/yolo/yolov8/README.md",
            "pt2/torch_compile/README.md",
            "pt2/torch_compile_hpu/README.md",
            "pt2/torch_compile_openvino/README.md",
            "pt2/torch_export_aot_compile/README.md",
            "pt2/torch_inductor_caching/README.md",
            "speech2text_wav2vec2/README.md",
            "stateful/sequence_batching/Readme.md",
            "stateful/sequence_continuous_batching/Readme.md",
            "text_classification/README.md",
            "text_classification_with_scriptable_tokenizer/README.md",
            "text_to_speech_synthesizer/SpeechT5/README.md",
            "text_to_speech_synthesizer/WaveGlow/README.md",
            "torch_tensorrt/torchcompile/T5/README.md",
            "torch_tensorrt/torchcompile/resnet50/README.md",
            "torch_tensorrt/torchscript/README.md",
            "torchrec_dlrm/README.md",
            "xgboost_classfication/README.md",
        )
    ),
)

SOURCE = {
    "name": "ms-torchserve",
    "package": f"github:{REPO}@{COMMIT}: curl examples of docs/*.md and examples/**/README.md ({len(DOCS)} files)",
    "licence": "Apache-2.0 (repository LICENSE)",
    "url": f"https://github.com/{REPO}/tree/{COMMIT}/docs",
    "label_rule": (
        "By the documented endpoint (docs/inference_api.md, management_api.md, metrics_api.md, workflow_*_api.md; "
        "as kserve-server-tests and ml-mlserver label the same kinds): fast-path: GET /ping (health), OPTIONS / "
        "(the API description), GET /model-ready (the custom-endpoint example: readiness of the models), GET "
        "/metrics with or without name[] filters, GET /models and GET /workflows with or without limit and "
        "next_page_token (the names of the registered models or workflows, as kserve-server-tests labels GET "
        "/v1/models), GET /models/{m}, /models/{m}/{v}, /models/{m}/all and GET /workflows/{w} (describe: status "
        "and settings); high-compute: any request to /predictions/{m}[/{v}[/...]], /explanations/{m}[/{v}], "
        "/wfpredict/{w}, POST /v1/models/{m}:predict|:explain and /v2/models/{m}/infer|explain (inference, "
        "explanations, workflow pipelines of several models); general: POST /models (register a model from a URL, "
        "as load-model), PUT /models/{m}[/{v}] (scale workers), PUT /models/{m}/{v}/set-default, DELETE "
        "/models/{m}[/{v}] (unregister, as unload), POST /workflows, DELETE /workflows/{w}, GET /token?type= (auth: "
        "a new key); '?': GET /models/{m}...?customized=true (describe plus the handler's describe_handle, run "
        "in a backend worker like an inference job) and anything else."
    ),
}

CAPS = {"fast-path": 40, "general": 40, "high-compute": 50, "?": 10}
LOCAL = {"localhost", "127.0.0.1", "0.0.0.0"}
MEDIA = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".wav": "audio/wav",
    ".pt": "application/octet-stream",
    ".txt": "text/plain",
    ".json": "application/json",
}
TEXT = {".txt", ".json"}
BOUNDARY = "------------------------torchserve"
FORM_URLENCODED = "application/x-www-form-urlencoded"


def label(method, path):
    bare, _, query = path.partition("?")
    parts = [p for p in bare.split("/") if p]
    head = parts[0] if parts else ""
    if head in ("predictions", "explanations", "wfpredict") and len(parts) >= 2:
        return "high-compute"
    if head in ("v1", "v2") and len(parts) >= 3 and parts[1] == "models":
        tail = parts[-1]
        if tail.endswith((":predict", ":explain")) or tail in ("infer", "explain"):
            return "high-compute" if method == "POST" else "?"
        return "?"
    if method == "OPTIONS" and not parts:
        return "fast-path"
    if method == "GET":
        if parts in (["ping"], ["model-ready"], ["metrics"], ["models"], ["workflows"]):
            return "fast-path"
        if head == "models" and 2 <= len(parts) <= 3:
            return "?" if "customized=true" in query else "fast-path"
        if head == "workflows" and len(parts) == 2:
            return "fast-path"
        if parts == ["token"]:
            return "general"
        return "?"
    if method == "POST" and parts in (["models"], ["workflows"]):
        return "general"
    if method == "PUT" and head == "models" and (2 <= len(parts) <= 3 or parts[-1:] == ["set-default"]):
        return "general"
    if method == "DELETE" and head in ("models", "workflows") and 2 <= len(parts) <= 3:
        return "general"
    return "?"


@functools.cache
def _tree():
    """The paths of all files of the repository at COMMIT (a listing; files read are pinned)."""
    return frozenset(registry.github_paths(REPO, COMMIT, "."))


def _resolve(doc, name):
    """The repository path of a file a command names, relative to the doc's folder or the root (a
    leading "serve/", the clone's folder, dropped), or None."""
    for base in (posixpath.dirname(doc), ""):
        for candidate in (name, name.removeprefix("serve/")):
            path = posixpath.normpath(posixpath.join(base, candidate))
            if path in _tree():
                return path
    return None


def _ext(name):
    return posixpath.splitext(name)[1].lower()


def _placeholder(name):
    return f"<{MEDIA[_ext(name)]} bytes of {posixpath.basename(name)}>"


def _file_body(doc, name, strip_newlines=False):
    """(body, ref note) of a file a command sends, or None when it cannot be sent faithfully."""
    ext = _ext(name)
    if ext not in MEDIA:
        return None
    if ext not in TEXT:
        return _placeholder(name), f"{posixpath.basename(name)} as a placeholder"
    path = _resolve(doc, name)
    if path is None:
        return None
    text = registry.github_text(REPO, COMMIT, path)
    if strip_newlines:
        text = text.replace("\r", "").replace("\n", "")
    return text, path


def _body(doc, curl):
    """(content type, body, note) that the command sends, or None when it cannot be rebuilt."""
    given = curl.headers.get("content-type", "")
    if curl.upload:
        got = _file_body(doc, curl.upload)
        return None if got is None else (given or MEDIA[_ext(curl.upload)], got[0], f"-T {got[1]}")
    if curl.data:
        chunks, notes = [], []
        for value, mode in curl.data:
            if value.startswith("@") and mode != "raw":
                got = _file_body(doc, value[1:], strip_newlines=mode == "data")
                if got is None:
                    return None
                chunks.append(got[0])
                notes.append(got[1])
            else:
                chunks.append(value)
        return given or FORM_URLENCODED, "&".join(chunks), ("--data " + ", ".join(notes)) if notes else ""
    if curl.forms:
        parts = []
        for name, value in curl.forms:
            if not value.startswith("@"):
                return None
            file = value[1:]
            if _ext(file) not in MEDIA or _ext(file) in TEXT:
                return None
            parts.append(
                f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{posixpath.basename(file)}"\r\nContent-Type: {MEDIA[_ext(file)]}\r\n\r\n'
                f"{_placeholder(file)}\r\n"
            )
        note = "-F " + ", ".join(posixpath.basename(v) for _, v in curl.forms) + " as placeholders"
        return f"multipart/form-data; boundary={BOUNDARY}", "".join(parts) + f"--{BOUNDARY}--\r\n", note
    return given, "", ""


def _requests():
    for doc in DOCS:
        text = registry.github_text(REPO, COMMIT, doc)
        for line, index, argv in curl_requests.commands(text):
            curl = curl_requests.parse(argv)
            if curl is None or curl.host() not in LOCAL or any(c in curl.url for c in "<>{}$"):
                continue
            sent = _body(doc, curl)
            if sent is None:
                continue
            content_type, body, note = sent
            ref = f"github:{REPO}@{COMMIT[:12]}:{doc}:{line}" + (f"#{index + 1}" if index else "")
            yield registry.api_row(
                SOURCE["name"],
                curl.method,
                curl.path(),
                content_type if body else "",
                body,
                label(curl.method, curl.path()),
                ref + (f" ({note})" if note else ""),
            )


def rows():
    # The first of identical requests in document order is kept, before sampling (sample_rows would
    # keep the first in sampling order, another item).
    items, seen = [], set()
    for row in _requests():
        key = registry.request_key(row)
        if key not in seen:
            seen.add(key)
            items.append(row)
    out = registry.sample(items, CAPS, ref=lambda r: r["ref"], label=lambda r: r["expected"])
    return sorted(out, key=lambda r: r["ref"])
