"""NVIDIA Triton Inference Server HTTP/REST requests: its protocol docs and the curl calls of its QA scripts.

triton-inference-server/server (BSD-3-Clause) serves the KServe V2 (Open Inference Protocol) REST API plus
its own extensions (model repository, statistics, trace, logging, shared memory, model configuration,
generate, sequence, classification, parameters, binary data). Three kinds of request are read from
files of the repository at a pinned commit:

- every `curl` call to the HTTP port (8000) in 16 QA test scripts (qa/**/*.sh) and in the protocol, user
  and deploy docs: method, path, `-d` body and content type (curl's form type unless `-H` says otherwise)
  as the script sends them, shell variables filled with the values the script gives them (each loop
  value); a call whose path or body still holds an unset variable is left out. The trace test's helper
  functions (get/update the global or a model's trace setting, the trace-context inference) wrap one
  curl call each and are read the same way;
- the example HTTP requests of docs/protocol/extension_*.md (`POST /v2/... HTTP/1.1`, headers, JSON
  body). Their bodies are pretty-printed JSON with small slips (a missing or trailing comma), repaired
  and sent compact; in the binary-data example the JSON header is kept and the placeholder lines for
  the binary tensor bytes are dropped; the raw-binary example (no JSON at all) is left out;
- the endpoint templates of the same docs (`GET v2/models[/${MODEL_NAME}[/versions/${MODEL_VERSION}]]/stats`
  ...), each optional part with and without, for model names of the QA tests, version 1, and the shared
  memory regions of qa/L0_shared_memory; POST bodies are ones the scripts send to that endpoint, or the
  documented request object filled in (see TEMPLATE_BODIES).
"""

import itertools
import json
import re
import shlex

import curl_requests
import registry

REPO = "triton-inference-server/server"
COMMIT = "e1db8a603d863b1317ee859bdeea2be19959462e"
PROTOCOL = tuple(
    f"docs/protocol/extension_{name}.md"
    for name in (
        "binary_data classification generate logging model_configuration model_repository "
        "parameters sequence shared_memory statistics trace"
    ).split()
)
DOCS = (
    "deploy/aws/README.md",
    "docs/getting_started/llm.md",
    "docs/getting_started/quickstart.md",
    "docs/getting_started/trtllm_user_guide.md",
)
SCRIPTS = tuple(
    f"qa/{name}"
    for name in (
        "L0_additional_dependency_dirs/test.sh L0_backend_config/test.sh L0_backend_python/bls/test.sh "
        "L0_backend_python/env/test.sh L0_backend_python/logging/test.sh L0_config_json/test.sh "
        "L0_custom_model_config/test.sh L0_http/test.sh L0_lifecycle/test.sh L0_logging/test.sh "
        "L0_pytorch_python_runtime/test.sh L0_server_status/test.sh "
        "L0_storage_S3/test.sh L0_trace/test.sh common/util.sh common/trtllm_util.sh"
    ).split()
)

SOURCE = {
    "name": "ms-triton",
    "package": f"github:{REPO}@{COMMIT}: docs/protocol/extension_*.md, 4 user and deploy docs, 16 QA scripts (qa/**/*.sh)",
    "licence": "BSD-3-Clause (repository LICENSE)",
    "url": f"https://github.com/{REPO}/tree/{COMMIT}/docs/protocol",
    "label_rule": (
        "By the documented endpoint (KServe V2 core and Triton's protocol extensions; as kserve-server-tests and "
        "ml-mlserver label the shared endpoints): fast-path: GET /v2/health/live|ready, GET /v2 (server metadata), "
        "GET /v2/models/{m}[/versions/{v}] (model metadata), GET .../ready (model readiness), GET .../config "
        "(the model's configuration), GET /metrics, GET /v2/models[/{m}[/versions/{v}]]/stats (statistics: "
        "counters kept in memory), GET /v2/logging and GET /v2[/models/{m}]/trace/setting (reading a setting), "
        "GET /v2/systemsharedmemory|cudasharedmemory[/region/{r}]/status (the registered regions); "
        "high-compute: POST /v2/models/{m}[/versions/{v}]/infer, /generate, /generate_stream (inference, "
        "whatever the extension: sequence, classification, parameters, binary data); general: POST "
        "/v2/repository/index (the list of the repository's models), POST /v2/repository/models/{m}/load|unload "
        "(one model), POST /v2/logging and POST /v2[/models/{m}]/trace/setting (updating a setting), POST "
        ".../region/{r}/register and .../unregister (one shared-memory region, or all); anything else (paths the "
        "tests send to check the error answer, such as /v2/notapi): '?'."
    ),
}

CAPS = {"fast-path": 50, "general": 50, "high-compute": 50, "?": 10}
PORTS = (":8000/",)
FORM = "application/x-www-form-urlencoded"  # what curl -d sends without a Content-Type header
JSON = "application/json"
# Shell variables of the scripts and the values the scripts give them (a tuple: a loop's values).
VARIABLES = {
    "TRITONSERVER_IPADDR": "localhost",
    "SERVER_IPADDR": "localhost",
    "MODEL_NAME": "bls_model_loading",  # qa/L0_backend_python/bls/test.sh: export MODEL_NAME='bls_model_loading'
    "BOOL_PARAM": ("log_info", "log_warning", "log_error"),  # BOOL_PARAMS of the logging tests
    "SETTING": ("trace_count", "trace_rate", "log_frequency"),  # SETTINGS of qa/L0_trace/test.sh
}
# qa/L0_trace/test.sh's helper functions: name -> (method, path with {0} for the model, body argument index).
TRACE_HELPERS = {
    "get_global_trace_setting": ("GET", "/v2/trace/setting", None),
    "get_trace_setting": ("GET", "/v2/models/{0}/trace/setting", None),
    "update_global_trace_setting": ("POST", "/v2/trace/setting", 0),
    "update_trace_setting": ("POST", "/v2/models/{0}/trace/setting", 1),
}
PBE_BODY = '{"inputs":[{"name":"expect_none","datatype":"BOOL","shape":[1],"data":[%s]}]}'
MODELS = ("simple", "onnx_nobatch_float32_float32_float32", "libtorch_float32_float32_float32", "simple_ensemble")
LLM_MODELS = ("tensorrt_llm", "mock_llm")  # docs/getting_started/llm.md; qa/L0_http/generate_endpoint_test.py
REGIONS = ("input0_data", "output0_data")  # qa/L0_shared_memory/shared_memory_test.py
# POST bodies for the templates (by how the template ends): bodies the docs or scripts send to that
# endpoint, or the documented request object filled in ("": sent without a body, as documented).
TEMPLATE_BODIES = {
    "/repository/index": ("", '{"ready":true}'),
    "/load": ("",),
    "/unload": ("", '{"parameters":{"unload_dependents":true}}'),
    "systemsharedmemory/region/{r}/register": ('{"key":"/{r}","offset":0,"byte_size":64}',),
    # a cudaIpcMemHandle_t is 64 bytes (base64: 88 characters)
    "cudasharedmemory/region/{r}/register": (
        '{"raw_handle":{"b64":"' + "A" * 86 + '=="},"device_id":0,"byte_size":64}',
    ),
    "/unregister": ("",),
    "/trace/setting": ('{"trace_rate":"1"}', '{"trace_level":["TIMESTAMPS"]}', '{"log_frequency":"1"}'),
    "/logging": ('{"log_verbose_level":1}', '{"log_info":true}'),
    "/generate": (
        '{"id":"42","text_input":"client input","parameters":{"stream":false,"temperature":0}}',
        '{"text_input":"The future of AI is","sampling_param_max_tokens":50}',
    ),
    "/generate_stream": ('{"text_input":"Count to three:","sampling_param_max_tokens":10,"streaming":true}',),
}


def label(method, path):
    p = path.split("?", 1)[0].rstrip("/")
    model = r"/v2/models/[^/]+(/versions/[^/]+)?"
    shm = r"/v2/(system|cuda)sharedmemory(/region/[^/]+)?"
    if method == "GET":
        if p in ("/v2", "/v2/health/live", "/v2/health/ready", "/metrics", "/v2/logging", "/v2/trace/setting"):
            return "fast-path"
        for rx in (model, model + "/(ready|config|stats|trace/setting)", r"/v2/models/stats", shm + "/status"):
            if re.fullmatch(rx, p):
                return "fast-path"
    if method == "POST":
        if re.fullmatch(model + "/(infer|generate|generate_stream)", p):
            return "high-compute"
        if p in ("/v2/repository/index", "/v2/logging", "/v2/trace/setting"):
            return "general"
        for rx in (
            r"/v2/repository/models/[^/]+/(load|unload)",
            model + "/trace/setting",
            shm + "/(register|unregister)",
        ):
            if re.fullmatch(rx, p):
                return "general"
    return "?"


def _text(path):
    return registry.github_text(REPO, COMMIT, path)


def _compact(raw):
    """A JSON body compact, the docs' small slips repaired (a missing comma between members, a trailing
    comma); text that is not JSON even then is kept as it is."""
    raw = raw.strip()
    if not raw:
        return ""
    repaired = re.sub(r",(\s*[}\]])", r"\1", re.sub(r'([}\]"\d])(\s*\n\s*")', r"\1,\2", raw))
    # The load example writes its "config" parameter (a string holding JSON) unquoted inside.
    nested = re.sub(
        r'"config": "(\{.*\})",', lambda m: '"config": ' + json.dumps(_compact(m.group(1))) + ",", raw, flags=re.S
    )
    for text in (raw, repaired, nested):
        try:
            return json.dumps(json.loads(text), separators=(",", ":"), ensure_ascii=False)
        except ValueError:
            continue
    return raw


def _fill(command):
    """Each way of filling the shell variables of command (several for a loop variable)."""
    names = [n for n in VARIABLES if re.search(r"\$\{?" + n + r"\b", command)]
    choices = [VARIABLES[n] if isinstance(VARIABLES[n], tuple) else (VARIABLES[n],) for n in names]
    for combo in itertools.product(*choices):
        text = command
        for name, value in zip(names, combo):
            text = re.sub(r"\$\{" + name + r"\}|\$" + name + r"\b", value, text)
        yield text


def _curl(args):
    """(method, path, body, content type) of one curl argument list, read by the shared curl reader
    (curl_requests) up to the first shell operator, or None if it is no call to port 8000."""
    words = list(itertools.takewhile(lambda arg: arg not in curl_requests.STOP, args))
    call = curl_requests.parse(words)
    if call is None or not any(port in call.url for port in PORTS):
        return None
    url, body = call.url.rstrip('`)";'), "".join(value for value, _ in call.data)
    if "$" in url + body:
        return None
    path = curl_requests.Curl(call.method, url).path()
    return call.method, path, _compact(body), call.headers.get("content-type", FORM) if body else ""


def _balanced(command):
    try:
        shlex.split(command.replace("`", " ` "))
        return True
    except ValueError:
        return False


def _commands(text):
    """(line number, kind, arguments) of each curl or trace helper call, continuation lines joined."""
    lines = text.split("\n")
    n = 0
    while n < len(lines):
        start, line = n + 1, lines[n]
        while line.endswith("\\") and n + 1 < len(lines):
            n += 1
            line = line[:-1] + " " + lines[n].strip()
        n += 1
        stripped = line.strip()
        if stripped.startswith("#") or stripped.startswith("function "):
            continue
        m = re.search(r"\bcurl (.*)", line)
        if m:
            command = m.group(1)
            while not _balanced(command) and n < len(lines) and n - start < 10:  # a quoted body over lines
                command, n = command + "\n" + lines[n], n + 1
            yield start, "curl", command
            continue
        m = re.match(r"\s*(" + "|".join(TRACE_HELPERS) + r"|check_pbe_trace_context)\b(.*)", line)
        if m:
            yield start, m.group(1), m.group(2)


def curl_rows(path):
    out = []
    for lineno, kind, rest in _commands(_text(path)):
        for filled in _fill(rest):
            try:
                args = shlex.split(filled.replace("`", " ` "), comments=False)
            except ValueError:
                continue
            if kind == "curl":
                request = _curl(args)
            elif kind == "check_pbe_trace_context":
                request = ("POST", f"/v2/models/{args[0]}/infer", _compact(PBE_BODY % args[1]), FORM)
            else:
                method, template, body_at = TRACE_HELPERS[kind]
                body = "" if body_at is None else _compact(args[body_at])
                request = (method, template.format(*args), body, FORM if body else "")
            if request and "$" not in "".join(request):
                out.append(_row(*request, ref=f"{path}:{lineno}"))
    return out


def example_rows(path):
    """The docs' example HTTP requests: `METHOD /v2/... HTTP/1.1`, headers, then a JSON body."""
    out = []
    for number, block in enumerate(re.findall(r"```[a-z]*\n(.*?)```", _text(path), re.S), 1):
        m = re.match(r"(GET|POST) (/v2/\S+) HTTP/1\.1\n", block)
        if not m:
            continue
        body = "\n".join(line for line in block.split("\n") if not line.startswith("<"))
        start = body.find("\n{")
        if start < 0:
            continue  # a raw binary body: no JSON to keep
        ctype = re.search(r"^Content-Type: (\S+)", block, re.M)
        ctype = JSON if ctype is None or "octet-stream" in ctype.group(1) else ctype.group(1)  # JSON kept only
        dropped = " (binary tensor bytes dropped)" if re.search(r"^<", block, re.M) else ""
        ref = f"{path}#code block {number}: {m.group(1)} {m.group(2)}{dropped}"
        out.append(_row(m.group(1), m.group(2), _compact(body[start:]), ctype, ref=ref))
    return out


def _expand(template):
    """Every form of a template with optional [...] parts (nested ones too)."""
    m = re.search(r"\[([^\[\]]*)\]", template)
    if not m:
        return [template]
    return _expand(template[: m.start()] + template[m.end() :]) + _expand(
        template[: m.start()] + m.group(1) + template[m.end() :]
    )


def _bodies(method, form):
    if method == "GET":
        return ("",)
    for key, bodies in TEMPLATE_BODIES.items():
        if form.endswith(key.replace("{r}", "${REGION_NAME}")):
            return bodies
    raise SystemExit(f"api_ms_triton: no body for POST {form}")


def template_rows(path):
    out = []
    for method, template in re.findall(r"^(GET|POST) (v2\S*)$", _text(path), re.M):
        for form in _expand(template):
            models = LLM_MODELS if "generate" in form else MODELS
            models = models if "${MODEL_NAME}" in form else ("",)
            regions = REGIONS if "${REGION_NAME}" in form else ("",)
            bodies = _bodies(method, form)
            for body in bodies:
                for model, region in itertools.product(models, regions):
                    target = "/" + form.replace("${MODEL_NAME}", model).replace("${MODEL_VERSION}", "1")
                    target = target.replace("${REGION_NAME}", region)
                    what = ", ".join(x for x in (model, region, body and f"body {bodies.index(body) + 1}") if x)
                    ref = f"{path}#{method} {template}" + (f" ({what})" if what else "")
                    out.append(_row(method, target, body.replace("{r}", region), JSON if body else "", ref=ref))
    return out


def _row(method, path, body, content_type, ref):
    return registry.api_row(
        SOURCE["name"], method, path, content_type, body, label(method, path), f"github:{REPO}@{COMMIT[:12]}:{ref}"
    )


def rows():
    items = []
    for path in PROTOCOL:
        items += curl_rows(path) + example_rows(path) + template_rows(path)
    for path in DOCS + SCRIPTS:
        items += curl_rows(path)
    return registry.sample_rows(items, CAPS)
