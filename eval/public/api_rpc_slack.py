"""Slack Web API requests from Slack's own OpenAPI 2 (Swagger) description (github:slackapi/slack-api-specs).

The Web API is RPC-style: every method is one path named family.method (`GET /conversations.info?channel=...`,
`POST /chat.postMessage`), on the spec's base path /api. Each of the 174 operations is sent with the method
and path the spec gives, twice where that differs: once with its required parameters and the object it acts
on (channel, user, file, ts ...), once more with every documented optional parameter that has a value of
Slack's documented shapes (ids C1234567890, U1234567890, ts 1503435956.000247 ...; JSON-valued parameters such
as blocks or view as small block-kit documents; the values are in rpc_slack_values.py).
Query parameters stay in the query; form parameters become an application/x-www-form-urlencoded body.
Slack's `token` (and the OAuth `client_secret`) is left out: a credential. Shared OpenAPI helpers: api_oas_github.py.
"""

import json

import registry
from api_oas_github import oas_requests
from rpc_slack_values import GENERIC, PER_METHOD

REPO = "slackapi/slack-api-specs"
COMMIT = "bc08db49625630e3585bf2f1322128ea04f2a7f3"
SPEC = "web-api/slack_web_openapi_v2.json"

SOURCE = {
    "name": "rpc-slack",
    "package": f"github:{REPO}@{COMMIT}:{SPEC}",
    "licence": "MIT (repository LICENSE, Copyright (c) 2017 SlackAPI; the spec has no info.license)",
    "url": f"https://github.com/{REPO}/blob/{COMMIT}/{SPEC}",
    "label_rule": (
        "By the documented Slack method (its name's last part and its description in the spec), not by the HTTP "
        "method the spec gives: "
        "high-compute: search.messages and admin.conversations.search (searches across a workspace or an "
        "organisation); "
        "'?': files.upload and users.setPhoto (uploads of file or image bytes, as the Box and Asana sources leave "
        "uploads open), migration.exchange (maps up to 400 user ids per call: a few lookups or a batch); "
        "fast-path: reads of one object or one small value: api.test, auth.test, *.info (bots, calls, "
        "conversations, dnd, files, files.remote, reminders, team, users, apps.permissions, admin.teams.settings), "
        "users.getPresence, users.lookupByEmail, users.identity, users.profile.get, team.profile.get, "
        "reactions.get, chat.getPermalink, admin.conversations.getConversationPrefs, dnd.teamInfo (the status "
        "of the given users, at most 50), team.billableInfo with a user; "
        "general: lists and pages (*.list, *.history, *.replies, *.members, users.conversations, emoji.list, "
        "admin.conversations.getTeams (paged), admin.usergroups.listChannels, "
        "admin.conversations.restrictAccess.listGroups, admin.conversations.ekm.listOriginalConnectedChannelInfo, "
        "team.accessLogs and team.integrationLogs (pages of logs), team.billableInfo without a user (all users), "
        "apps.permissions.scopes.list), every write of one thing whatever its HTTP method (chat.*, *.create, "
        "*.archive, *.invite, *.set*, *.add, *.remove, *.delete, *.update, *.rename, views.*, dialog.open, "
        "workflows.*, calls.*, admin.* writes), auth and sessions (auth.revoke, oauth.*, apps.uninstall, "
        "apps.permissions.request, apps.permissions.users.request, rtm.connect, admin.users.session.*)."
    ),
}

CAPS = {"fast-path": 60, "general": 100, "high-compute": 30, "?": 10}

HIGH = {"search.messages", "admin.conversations.search"}
AMBIGUOUS = {"files.upload", "users.setPhoto", "migration.exchange"}
FAST = {
    "api.test",
    "auth.test",
    "users.getPresence",
    "users.lookupByEmail",
    "users.identity",
    "reactions.get",
    "chat.getPermalink",
    "dnd.teamInfo",
    "admin.conversations.getConversationPrefs",
}
GENERAL_GETS = {"admin.conversations.getTeams"}  # named get*, but a paged list

# The object a method acts on: sent even where the spec leaves it optional (the first variant).
ESSENTIAL = {"channel", "channel_id", "user", "users", "file", "ts", "timestamp", "message_ts", "name", "reminder"}
ESSENTIAL |= {"usergroup", "bot", "text", "id", "query", "trigger_id", "view", "view_id", "email", "presence"}
ESSENTIAL |= {"topic", "purpose", "code", "client_id", "content", "scheduled_message_id", "profile", "team", "app_id"}
ESSENTIAL |= {"external_id", "external_url", "title"}
# Alternatives the docs say to pass one of (the other is left out); as_user, legacy attachments, image bytes
# are never sent.
LEFT_OUT = {"as_user", "attachments", "image"}
EXCLUSIVE = {
    "reactions.get": {"file", "file_comment"},
    "reactions.remove": {"file", "file_comment"},
    "stars.add": {"file", "file_comment"},
    "stars.remove": {"file", "file_comment"},
    "files.remote.info": {"external_id"},
    "files.remote.remove": {"external_id"},
    "files.remote.share": {"external_id"},
    "files.remote.update": {"external_id"},
    "views.update": {"external_id"},
    "users.profile.set": {"name", "value"},
    "files.upload": {"file"},
    "conversations.open": {"channel"},
    "admin.apps.approve": {"request_id"},
    "admin.apps.restrict": {"request_id"},
    "team.billableInfo": {"user"},  # in the first variant only: all users; the second names one
}


def label(method, path, op):
    name = path.lstrip("/")
    last = name.split(".")[-1]
    if name in HIGH:
        return "high-compute"
    if name in AMBIGUOUS:
        return "?"
    if name in FAST or last == "info" or (last.startswith("get") and name not in GENERAL_GETS):
        return "fast-path"
    return "general"


def _values(full):
    def value(path, name):
        method = path.lstrip("/")
        if name in LEFT_OUT or (name in EXCLUSIVE.get(method, ()) and not (full and method == "team.billableInfo")):
            return None
        v = PER_METHOD.get(method, {}).get(name, GENERIC.get(name))
        return json.dumps(v, separators=(",", ":")) if isinstance(v, (list, dict)) else v

    return value


def _variant(full):
    def take(op_id, prm, path):
        return full or prm["name"] in ESSENTIAL

    return take


def _billable(row):
    """team.billableInfo reads one user's value when a user is named, every user's otherwise."""
    if "/team.billableInfo" in row["path"]:
        row["expected"] = "fast-path" if "user=" in row["path"] else "general"
    return row


def _without_credentials(doc):
    """doc with Slack's token and the OAuth client_secret parameters removed from every operation."""
    for item in doc["paths"].values():
        for op in item.values():
            op["parameters"] = [p for p in op.get("parameters", []) if p["name"] not in ("token", "client_secret")]
    return doc


def rows():
    doc = _without_credentials(json.loads(registry.github(REPO, COMMIT, SPEC)))
    ref = f"github:{REPO}@{COMMIT[:12]}:{SPEC}"
    variants = ([], [])
    for full in (False, True):
        for it in oas_requests(doc, _values(full), label, ref, base_path="/api", optional_query=_variant(full)):
            what = "documented options" if full else "required and object arguments"
            name = it["path"].split("?")[0].removeprefix("/api/")
            row = {k: it[k] for k in ("method", "path", "contentType", "body", "expected")}
            row = {"source": SOURCE["name"], **row, "ref": f"{ref}#{name} ({what})"}
            variants[full].append(_billable(row))
    # Each method's first variant is sampled first, so that the caps keep as many methods as they can; the
    # second variants fill what the caps leave. A request already taken is skipped.
    out, seen = [], set()
    for group in variants:
        left = {lab: cap - sum(r["expected"] == lab for r in out) for lab, cap in CAPS.items()}
        group = [r for r in group if (r["method"], r["path"], r["body"]) not in seen]
        taken = registry.sample(group, left, ref=lambda r: r["ref"], label=lambda r: r["expected"], key=_key)
        seen.update(_key(r) for r in taken)
        out += taken
    return sorted(out, key=lambda r: r["ref"])


def _key(row):
    return row["method"], row["path"], row["body"]
