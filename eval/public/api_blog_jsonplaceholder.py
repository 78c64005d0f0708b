"""JSONPlaceholder requests: the routes and guide of typicode/jsonplaceholder, a fake blog-style REST API.

typicode/jsonplaceholder (MIT) serves six related resources of a small blog (posts, comments, albums,
photos, todos, users) through json-server. Its repository documents the API in three places, read at a
pinned commit:

- templates/index.html: the resources table (/posts, /comments, ...) and the routes table (GET /posts,
  GET /posts/1, GET /posts/1/comments, GET /comments?postId=1, GET /posts?userId=1, POST /posts, PUT, PATCH
  and DELETE /posts/1; its POST, PUT and PATCH are taken from the guide, with bodies); "All HTTP methods
  are supported";
- templates/GUIDE.md: fetch() examples (get, list, create, update with PUT and PATCH, delete, filter,
  nested) with their JSON bodies, and the list of nested routes (/albums/1/photos, /users/1/todos ...);
- test/app.js: the test's POST /posts {"body": "foo"}.

The routes table shows every route for /posts only and says the same holds for each resource, so each
route is also sent for the other five resources: the filter by the parent key that data.json's records
carry (comments by postId, albums and todos by userId, photos by albumId), and writes whose bodies are the
guide's pattern with the resource's own fields, taken from record 1 of data.json (POST: the record without
its id; PUT: the record; PATCH: its first string field other than the parent key). Small: about 45 requests.
"""

import html
import json
import re

import registry

REPO = "typicode/jsonplaceholder"
COMMIT = "7ae4432ac3f60e7226a899c25e04826207d07098"
INDEX = "templates/index.html"
GUIDE = "templates/GUIDE.md"
TEST = "test/app.js"
DATA = "data.json"
JSON_CT = "application/json"

SOURCE = {
    "name": "blog-jsonplaceholder",
    "package": f"github:{REPO}@{COMMIT}:{INDEX}, {GUIDE}, {TEST}, {DATA}",
    "licence": "MIT (repository LICENSE; package.json license)",
    "url": "https://github.com/typicode/jsonplaceholder/tree/7ae4432ac3f60e7226a899c25e04826207d07098",
    "label_rule": (
        "By the documented routes (index.html, GUIDE.md; json-server semantics): fast-path: GET /{resource}/{id} "
        "(one record by id, 'Get a resource'); general: GET /{resource} ('List all resources', with or without "
        "the documented filter by query, e.g. /comments?postId=1), GET /{resource}/{id}/{children} (nested "
        "lists, 'Equivalent to /comments?postId=1'), and every write (POST, PUT, PATCH, DELETE of one record). "
        "The API has no heavy operation, so no high-compute item; anything else: '?'."
    ),
}


def label(method, path):
    bare = path.split("?", 1)[0]
    if method == "GET":
        if re.fullmatch(r"/[a-z]+/\d+", bare):
            return "fast-path"
        if re.fullmatch(r"/[a-z]+(/\d+/[a-z]+)?", bare):
            return "general"
        return "?"
    if method in ("POST", "PUT", "PATCH", "DELETE") and re.fullmatch(r"/[a-z]+(/\d+)?", bare):
        return "general"
    return "?"


def _compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _row(method, path, body, ref):
    return {
        "source": SOURCE["name"],
        "method": method,
        "path": path,
        "contentType": JSON_CT if body else "",
        "body": body,
        "expected": label(method, path),
        "ref": ref,
    }


def _js_object(text):
    """A JavaScript object literal of the guide (unquoted keys, single quotes) as a dict."""
    text = re.sub(r"([{,]\s*)([A-Za-z_]\w*)\s*:", r'\1"\2":', text)
    return json.loads(text.replace("'", '"'))


def index_rows():
    text = registry.github(REPO, COMMIT, INDEX).decode("utf-8")
    out = []
    for method, cell in re.findall(r"<td>(GET|POST|PUT|PATCH|DELETE)</td>\s*<td>(.*?)</td>", text, re.S):
        path = html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
        if method in ("POST", "PUT", "PATCH"):
            continue  # the table lists the route only; GUIDE.md sends these writes with their bodies
        out.append(_row(method, path, "", f"github:{REPO}@{COMMIT[:12]}:{INDEX}#routes {method} {path}"))
    resources = re.findall(r'<a href="(/[a-z]+)">\1</a>\s*</td>\s*<td>\d+ \w+</td>', text)
    return out, resources


def guide_rows():
    text = registry.github(REPO, COMMIT, GUIDE).decode("utf-8")
    out = []
    sections = re.split(r"^#{3,4} ", text, flags=re.M)[1:]
    for section in sections:
        title = section.split("\n", 1)[0].strip()
        ref = f"github:{REPO}@{COMMIT[:12]}:{GUIDE}#{title}"
        for call in re.finditer(
            r"fetch\('https://jsonplaceholder\.typicode\.com([^']*)'(, \{.*?\n\s*\})?\)(?!,)", section, re.S
        ):
            path, options = call.group(1), call.group(2) or ""
            method = re.search(r"method: '(\w+)'", options)
            body = re.search(r"body: JSON\.stringify\((\{.*?\})\)", options, re.S)
            out.append(
                _row(
                    method.group(1) if method else "GET", path, _compact(_js_object(body.group(1))) if body else "", ref
                )
            )
        for path in re.findall(r"^\* https://jsonplaceholder\.typicode\.com(/\S+)", section, re.M):
            out.append(_row("GET", path, "", f"{ref} {path}"))
    return out


def test_rows():
    text = registry.github(REPO, COMMIT, TEST).decode("utf-8")
    out = []
    for m in re.finditer(r"\.post\('([^']+)'\)\s*\.send\((\{.*?\})\)", text, re.S):
        ref = f"github:{REPO}@{COMMIT[:12]}:{TEST}:{text[: m.start()].count(chr(10)) + 1}"
        out.append(_row("POST", m.group(1), _compact(_js_object(m.group(2))), ref))
    return out


def resource_rows(resources):
    """The routes table's routes for each resource, with bodies shaped like data.json's record 1."""
    data = json.loads(registry.github(REPO, COMMIT, DATA))
    out = []
    for resource in resources:
        name = resource.lstrip("/")
        record = next(r for r in data[name] if r["id"] == 1)
        parent = next((k for k in record if k.endswith("Id")), None)
        ref = f"github:{REPO}@{COMMIT[:12]}:{DATA}#{name}"
        out.append(_row("GET", resource, "", f"{ref} list"))
        out.append(_row("GET", f"{resource}/1", "", f"{ref} get"))
        if parent:
            out.append(_row("GET", f"{resource}?{parent}=1", "", f"{ref} filter {parent}"))
        out.append(_row("POST", resource, _compact({k: v for k, v in record.items() if k != "id"}), f"{ref} create"))
        out.append(_row("PUT", f"{resource}/1", _compact(record), f"{ref} put"))
        field = next(k for k, v in record.items() if isinstance(v, str) and k != parent)
        out.append(_row("PATCH", f"{resource}/1", _compact({field: record[field]}), f"{ref} patch {field}"))
        out.append(_row("DELETE", f"{resource}/1", "", f"{ref} delete"))
    return out


def rows():
    routes, resources = index_rows()
    if len(resources) != 6:
        raise SystemExit(f"{INDEX}: resources {resources} (expected: 6)")
    seen, out = set(), []
    for row in routes + guide_rows() + test_rows() + resource_rows(resources):
        key = (row["method"], row["path"], row["body"])
        if key in seen:
            continue
        seen.add(key)
        out.append(row)
    return sorted(out, key=lambda r: r["ref"])
