"""Request extraction for api_ml_tfserving.py: REST calls written in TensorFlow Serving's tests and docs.

Each function takes the text of one pinned file and returns (method, path, body, content type, where)
tuples, where `where` names the line or test in that file. Nothing is invented here: paths and bodies
are the file's own, with its named constants (model name, version, label) substituted.

- cc_calls: `ProcessRequest(...)` / `ParseModelInfo(...)` calls of a C++ gtest file, their path and body
  arguments evaluated from string literals (plain and raw), adjacent literals, `absl::StrCat`, the
  file's `constexpr` constants and the local strings defined before the call.
- py_calls: `CallREST(url, json_req)` calls of the Python model-server test (urllib: GET without data,
  POST with `json.dumps(json_req)` as form-encoded data, urllib's default content type).
- curl_calls: `curl ... http://localhost:8501/...` commands of a Markdown page, read by curl_requests.
"""

import ast
import json
import re

import curl_requests

UINT64_MAX = str(2**64 - 1)
FORM = "application/x-www-form-urlencoded"  # what curl -d and urllib send without a Content-Type header


def _scan_args(text, start):
    """The top-level argument strings of the call whose '(' is at text[start], and the index after ')'."""
    depth, args, current, i = 0, [], [], start
    while i < len(text):
        raw = re.match(r'R"\((.*?)\)"', text[i:], re.S)
        plain = re.match(r'"(?:[^"\\]|\\.)*"', text[i:])
        if raw or plain:
            token = (raw or plain).group(0)
            current.append(token)
            i += len(token)
            continue
        c = text[i]
        if c == "(":
            depth += 1
            if depth > 1:
                current.append(c)
        elif c == ")":
            depth -= 1
            if depth == 0:
                args.append("".join(current).strip())
                return args, i + 1
            current.append(c)
        elif c == "," and depth == 1:
            args.append("".join(current).strip())
            current = []
        else:
            current.append(c)
        i += 1
    raise ValueError("unbalanced call")


def _evaluate(expr, names):
    """The string value of a C++ string expression, or None if it is not one this reader knows."""
    expr = expr.strip()
    if expr.startswith("absl::StrCat("):
        args, end = _scan_args(expr, len("absl::StrCat"))
        if expr[end:].strip():
            return None
        parts = [_evaluate(a, names) for a in args]
        return None if None in parts else "".join(parts)
    if expr == "std::numeric_limits<uint64_t>::max()":
        return UINT64_MAX
    if expr in names:
        return names[expr]
    if re.fullmatch(r"\d+", expr):
        return expr
    literals = re.findall(r'R"\((.*?)\)"|"((?:[^"\\]|\\.)*)"', expr, re.S)
    if literals and re.fullmatch(r'(?:\s*(?:R"\(.*?\)"|"(?:[^"\\]|\\.)*"))+\s*', expr, re.S):
        return "".join(raw if raw else json.loads(f'"{plain}"') for raw, plain in literals)
    return None


def cc_calls(text, function):
    """(method, path, body, where) of each call of `function` in a gtest file, in file order. The
    arguments are (method, path[, body], ...); where is "line N (TestName)"."""
    names = {}
    for m in re.finditer(r"constexpr\s+(?:char|int)\s+(\w+)(?:\[\])?\s*=\s*([^;]+);", text):
        names[m.group(1)] = _evaluate(m.group(2), names)
    local = re.compile(r"const\s+(?:string&|absl::string_view)\s+(\w+)\s*=\s*([^;]+);", re.S)
    events = [(m.start(), "local", m) for m in local.finditer(text)]
    events += [(m.start(), "call", m) for m in re.finditer(rf"\b{function}\(", text)]
    out = []
    for _, kind, m in sorted(events, key=lambda e: e[0]):
        if kind == "local":
            names[m.group(1)] = _evaluate(m.group(2), names)
            continue
        args, _ = _scan_args(text, m.end() - 1)
        method, path = _evaluate(args[0], names), _evaluate(args[1], names)
        body = _evaluate(args[2], names) if function == "ProcessRequest" else ""
        if None in (method, path, body):
            continue
        line = text.count("\n", 0, m.start()) + 1
        tests = re.findall(r"^TEST_F\(\w+,\s*(\w+)\)", text[: m.start()], re.M)
        out.append((method, path, body, f"line {line} ({tests[-1] if tests else 'file'})"))
    return out


def py_calls(text):
    """(method, path, body, content type, where) of each CallREST(url, json_req) of the test file, the
    url a literal 'http://{}:{}/...'.format(...) and json_req a literal or None, bound in the same test."""
    out = []
    for fn in ast.walk(ast.parse(text)):
        if not isinstance(fn, ast.FunctionDef):
            continue
        bound = {}
        for node in ast.walk(fn):
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
                value = node.value
                if (
                    isinstance(value, ast.Call)
                    and isinstance(value.func, ast.Attribute)
                    and value.func.attr == "format"
                ):
                    value = value.func.value
                try:
                    bound[node.targets[0].id] = ast.literal_eval(value)
                except ValueError:
                    continue
        for node in ast.walk(fn):
            if not (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "CallREST"):
                continue
            url, req = node.args[0], node.args[1]
            if not isinstance(url, ast.Name) or url.id not in bound:
                continue
            path = re.sub(r"^http://\{\}(?::\{\})?", "", bound[url.id])
            data = bound.get(req.id) if isinstance(req, ast.Name) else ast.literal_eval(req)
            where = f"line {node.lineno} ({fn.name})"
            if data is None:
                out.append(("GET", path, "", "", where))
            else:
                out.append(("POST", path, json.dumps(data), FORM, where))
    return out


def curl_calls(text):
    """(method, path, body, content type, where) of each curl command to localhost:8501 on the page,
    read by the shared curl reader (curl_requests); commands whose path holds a placeholder
    (<model_name>, ${VAR}) are left out. A body goes with curl's default content type."""
    out = []
    for line, _, argv in curl_requests.commands(text):
        call = curl_requests.parse(argv)
        if call is None or call.host() != "localhost" or ":8501" not in call.url:
            continue
        path = call.path()
        if "$" in path or "<" in path:
            continue
        body = "&".join(value for value, _ in call.data)
        ctype = call.headers.get("content-type", FORM) if body else ""
        out.append((call.method, path, body, ctype, f"line {line}"))
    return out


def doc_bodies(text):
    """(section title, body, line) of each request body in a ```javascript block of api_rest.md: every JSON
    object of the block (after `//` comments are dropped) that has instances, inputs or examples. Blocks
    with placeholders (`<value>`, `...`) or invalid JSON are skipped."""
    out, title = [], ""
    for m in re.finditer(r"^## ([^\n]+)$|```javascript\n(.*?)```", text, re.M | re.S):
        if m.group(1):
            title = m.group(1).strip()
            continue
        code = re.sub(r"//[^\n]*", "", m.group(2))
        decoder, i = json.JSONDecoder(), 0
        while True:
            i = code.find("{", i)
            if i < 0:
                break
            try:
                value, end = decoder.raw_decode(code, i)
            except ValueError:
                break
            if isinstance(value, dict) and {"instances", "inputs", "examples"} & set(value):
                out.append((title, value, text.count("\n", 0, m.start(2) + i) + 1))
            i = end
    return out
