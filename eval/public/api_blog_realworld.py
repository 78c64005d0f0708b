"""RealWorld "Conduit" blog API requests: the project's Postman collection and its endpoint docs.

gothinkster/realworld (MIT) specifies Conduit, a Medium-like blog backend (users, profiles and follows,
articles, comments, favourites, tags) that hundreds of example backends implement. Two files of the
repository at a pinned commit give real example requests:

- api/Conduit.postman_collection.json, the collection every implementation's API tests run: each
  request, with the collection's {{variables}} filled (base /api, a user jake, a slug, a comment id);
- the documentation's endpoints.md: each `METHOD /api/...` heading with the example body that follows
  it, and the documented query examples of List Articles (`?tag=AngularJS`, `?limit=20` ...), which
  also apply to the feed ("Can also take limit and offset").

Small: the API has 19 operations, so after removing identical requests about 30 remain.
"""

import json
import re

import registry

REPO = "gothinkster/realworld"
COMMIT = "747190ecf0bb27d461cf1100f6cb3468c6c914ed"
POSTMAN = "api/Conduit.postman_collection.json"
DOCS = "apps/documentation/src/content/docs/specifications/backend/endpoints.md"

SOURCE = {
    "name": "blog-realworld",
    "package": f"github:{REPO}@{COMMIT}:{POSTMAN} and {DOCS}",
    "licence": "MIT (repository LICENSE; info.license of api/openapi.yml)",
    "url": "https://github.com/gothinkster/realworld/tree/747190ecf0bb27d461cf1100f6cb3468c6c914ed/api",
    "label_rule": (
        "By the documented endpoint (endpoints.md, api/openapi.yml): fast-path: GET /api/user (the current user), "
        "GET /api/profiles/{username} (one profile), GET /api/articles/{slug} (one article by slug); general: "
        "GET /api/articles with or without filters and GET /api/articles/feed (paged lists, limit 20 by default), "
        "GET /api/articles/{slug}/comments and GET /api/tags (lists), and every write (register, login, update "
        "user, follow/unfollow, create/update/delete an article, favourite/unfavourite, add/delete a comment). "
        "The API has no heavy operation, so no high-compute item; anything else: '?'."
    ),
}

VARIABLES = {
    "APIURL": "/api",
    "EMAIL": "jake@jake.jake",
    "PASSWORD": "jakejake",
    "USERNAME": "jake",
    "slug": "how-to-train-your-dragon",
    "commentId": "1",
}
DOC_VALUES = {":username": "jake", ":slug": "how-to-train-your-dragon", ":id": "1"}
JSON_CT = "application/json"


def label(method, path):
    bare = path.split("?", 1)[0]
    if method == "GET":
        if bare == "/api/user" or re.fullmatch(r"/api/profiles/[^/]+", bare):
            return "fast-path"
        if bare in ("/api/articles", "/api/articles/feed", "/api/tags"):
            return "general"
        if re.fullmatch(r"/api/articles/[^/]+/comments", bare):
            return "general"
        if re.fullmatch(r"/api/articles/[^/]+", bare):
            return "fast-path"
        return "?"
    if method in ("POST", "PUT", "DELETE"):
        return "general"
    return "?"


def _fill(text):
    return re.sub(r"\{\{(\w+)\}\}", lambda m: VARIABLES[m.group(1)], text)


def _compact(raw):
    raw = raw.strip()
    if not raw:
        return ""
    return json.dumps(json.loads(raw), separators=(",", ":"), ensure_ascii=False)


def _row(method, path, body, ref):
    return registry.api_row(SOURCE["name"], method, path, JSON_CT if body else "", body, label(method, path), ref)


def postman_rows():
    collection = json.loads(registry.github(REPO, COMMIT, POSTMAN))
    out = []

    def walk(items, trail):
        for item in items:
            if "item" in item:
                walk(item["item"], trail + [item["name"]])
                continue
            req = item["request"]
            url = req["url"]["raw"] if isinstance(req["url"], dict) else req["url"]
            raw = (req.get("body") or {}).get("raw", "") if req["method"] != "GET" else ""
            ref = f"github:{REPO}@{COMMIT[:12]}:{POSTMAN}#{'/'.join(trail + [item['name']])}"
            out.append(_row(req["method"], _fill(url), _compact(_fill(raw)), ref))

    walk(collection["item"], [])
    return out


def doc_rows():
    text = registry.github(REPO, COMMIT, DOCS).decode("utf-8")
    out = []
    sections = re.split(r"^### ", text, flags=re.M)[1:]
    for section in sections:
        title = section.split("\n", 1)[0].strip().rstrip(":")
        m = re.search(r"^`(GET|POST|PUT|DELETE) (/api/[^`]*)`", section, re.M)
        if not m:
            continue
        method, path = m.group(1), m.group(2)
        for key, value in DOC_VALUES.items():
            path = path.replace(key, value)
        body = re.search(r"```json\n(.*?)```", section, re.S)
        ref = f"github:{REPO}@{COMMIT[:12]}:{DOCS}#{title}"
        out.append(_row(method, path, _compact(body.group(1)) if body else "", ref))
        queries = re.findall(r"^`(\?[^`]+)`", section, re.M)
        for query in queries:
            out.append(_row(method, path + query, "", f"{ref} {query}"))
        if "limit` and `offset`" in section:
            for query in ("?limit=20", "?offset=0"):
                out.append(_row(method, path + query, "", f"{ref} {query}"))
    return out


def rows():
    seen, out = set(), []
    for row in postman_rows() + doc_rows():
        key = (row["method"], row["path"], row["body"])
        if key in seen:
            continue
        seen.add(key)
        out.append(row)
    return sorted(out, key=lambda r: r["ref"])
