"""GitHub GraphQL API requests: the query documents of the GitHub Pull Requests extension for VS Code.

microsoft/vscode-pull-request-github (MIT) sends its GitHub GraphQL operations from
src/github/queries.gql, which imports src/github/queriesShared.gql (fragments, and most queries and
mutations). Each operation of the two files becomes one POST /graphql: the operation with every
fragment it spreads (transitively; a fragment defined in both files is taken from queries.gql),
comments dropped, and {"variables": ...} for the required variables, filled by name (the extension's
own repository and pull request 1347, a login, a node id, a branch); a mutation's `$input` gets the
required fields of its input type, with node ids of GitHub's shape (INPUTS). `$first`, which every such query
requires, gets the value src/github/githubRepository.ts passes for that operation (100, or 18 for
GetParticipants); defaults written in the document (`$last: Int = 150`) count as sent. The variants
queriesExtra.gql and queriesLimited.gql (the same operations for newer and older GitHub Enterprise
servers) are left out: they would repeat the same operations.
"""

import json
import re

import registry
from api_gql_shopify_partners import ENDPOINT, JSON_CT, gql_parse, gql_shape, gql_variables

REPO = "microsoft/vscode-pull-request-github"
COMMIT = "849821a34981608ca9705439e458ffe5527fe480"
FILES = ("src/github/queriesShared.gql", "src/github/queries.gql")

SOURCE = {
    "name": "gql-github-vscode",
    "package": f"github:{REPO}@{COMMIT}:{' and '.join(FILES)}",
    "licence": "MIT (repository LICENSE)",
    "url": "https://github.com/microsoft/vscode-pull-request-github/tree/849821a34981608ca9705439e458ffe5527fe480/src/github",
    "label_rule": (
        "The Shopify rule (gql-shopify-partners) with GitHub's lookups, by the operation's shape, fragments "
        "expanded, first match wins: mutation -> general; a search (a root field search, or a connection given "
        "a query: argument that is set) -> high-compute; a connection asked for first/last >= 100 items, or "
        "nested connections whose page sizes multiply to >= 100 -> high-compute; a connection of another or "
        "unknown page size -> general (a paged list), except connections asked for at most 1 item (first: 0 "
        "for a totalCount, first: 1 for the newest): a count or one item, not a list; a query without lists "
        "whose every root field is looked up by an identifying argument (repository by owner and name, "
        "organization/user by login, node by id) or is viewer/rateLimit, not plural, at most 4 levels deep "
        "(root field, one looked-up object in it, its fields and one level of sub-objects) -> fast-path; "
        "any other query -> ?."
    ),
}

VALUES = {
    "owner": "microsoft",
    "name": "vscode-pull-request-github",
    "number": 1347,
    "login": "microsoft",
    "author": "alexr00",
    "headRefName": "alexr00/fix-review-comments",
    "qualifiedName": "refs/heads/main",
    "branch": "main",
    "expression": "main:README.md",
    "since": "2026-08-01T00:00:00Z",
    "repoName": "vscode-pull-request-github",
    "pullRequestId": "PR_kwDOCVMjpc5Z0q1w",
    "id": "PRR_kwDOCVMjpc5Xv3sQ",
    "event": "COMMENT",
    "states": ["OPEN"],
    "query": "repo:microsoft/vscode-pull-request-github is:open is:issue assignee:@me",
    "capabilities": ["CAN_BE_ASSIGNED"],
}
PR_ID = "PR_kwDOCVMjpc5Z0q1w"
COMMENT_ID = "PRRC_kwDOCVMjpc5bX2yA"
THREAD_ID = "PRRT_kwDOCVMjpc5Q1nJd"
# The input objects of the mutations: the input type's required fields (GitHub GraphQL reference), by type.
INPUTS = {
    "CreatePullRequestInput": {
        "repositoryId": "R_kgDOCVMjpQ",
        "baseRefName": "main",
        "headRefName": "alexr00/fix-review-comments",
        "title": "Fix review comments",
        "body": "Fixes #1347",
        "draft": False,
    },
    "RevertPullRequestInput": {"pullRequestId": PR_ID, "title": "Revert 'Fix review comments'"},
    "DequeuePullRequestInput": {"id": PR_ID},
    "EnqueuePullRequestInput": {"pullRequestId": PR_ID},
    "ReplaceActorsForAssignableInput": {"assignableId": PR_ID, "actorIds": ["MDQ6VXNlcjM4MjcwMjgy"]},
    "UpdatePullRequestBranchInput": {"pullRequestId": PR_ID, "updateMethod": "MERGE"},
    "AddPullRequestReviewCommentInput": {
        "pullRequestReviewId": "PRR_kwDOCVMjpc5Xv3sQ",
        "inReplyTo": COMMENT_ID,
        "body": "Done.",
    },
    "AddPullRequestReviewThreadInput": {
        "pullRequestId": PR_ID,
        "path": "src/github/githubRepository.ts",
        "line": 729,
        "side": "RIGHT",
        "body": "Could this use the cached value?",
    },
    "RequestReviewsInput": {"pullRequestId": PR_ID, "userIds": ["MDQ6VXNlcjM4MjcwMjgy"], "union": True},
    "UpdatePullRequestReviewCommentInput": {"pullRequestReviewCommentId": COMMENT_ID, "body": "Done, thanks."},
    "MarkPullRequestReadyForReviewInput": {"pullRequestId": PR_ID},
    "ConvertPullRequestToDraftInput": {"pullRequestId": PR_ID},
    "AddPullRequestReviewInput": {"pullRequestId": PR_ID},
    "DeletePullRequestReviewInput": {"pullRequestReviewId": "PRR_kwDOCVMjpc5Xv3sQ"},
    "AddReactionInput": {"subjectId": COMMENT_ID, "content": "THUMBS_UP"},
    "RemoveReactionInput": {"subjectId": COMMENT_ID, "content": "THUMBS_UP"},
    "UpdateIssueInput": {"id": "I_kwDOCVMjpc5kYb7n", "labelIds": ["LA_kwDOCVMjpc8AAAABBd5eXg"]},
    "UpdatePullRequestInput": {"pullRequestId": PR_ID, "title": "Fix review comments in the tree"},
    "AddCommentInput": {"subjectId": PR_ID, "body": "Thanks, merging."},
    "UpdateIssueCommentInput": {"id": "IC_kwDOCVMjpc5yIx0X", "body": "Thanks, merging now."},
    "ResolveReviewThreadInput": {"threadId": THREAD_ID},
    "UnresolveReviewThreadInput": {"threadId": THREAD_ID},
    "EnablePullRequestAutoMergeInput": {"pullRequestId": PR_ID, "mergeMethod": "SQUASH"},
    "DisablePullRequestAutoMergeInput": {"pullRequestId": PR_ID},
    "MarkFileAsViewedInput": {"pullRequestId": PR_ID, "path": "src/github/githubRepository.ts"},
    "UnmarkFileAsViewedInput": {"pullRequestId": PR_ID, "path": "src/github/githubRepository.ts"},
    "MergePullRequestInput": {"pullRequestId": PR_ID, "mergeMethod": "SQUASH"},
    "AddProjectV2ItemByIdInput": {"projectId": "PVT_kwDOAlIw4c4AAVfT", "contentId": PR_ID},
    "DeleteProjectV2ItemInput": {"projectId": "PVT_kwDOAlIw4c4AAVfT", "itemId": "PVTI_lADOAlIw4c4AAVfTzgJ4mQQ"},
}
# What githubRepository.ts passes as `first` for each operation that requires it.
FIRST = {
    "PullRequestNumbers": 100,
    "ListBranches": 100,
    "GetMentionableUsers": 100,
    "GetSuggestedActors": 100,
    "GetAssignableUsers": 100,
    "GetParticipants": 18,
}
IDENTIFIED = {"repository": {"owner", "name"}, "organization": {"login"}, "user": {"login"}, "node": {"id"}}
SINGLETONS = {"viewer", "rateLimit"}


def definitions(text):
    """(kind, name, text) of each top-level definition of a GraphQL file, comments removed."""
    text = re.sub(r"#[^\n]*", "", text)
    out = []
    for m in re.finditer(r"^(query|mutation|subscription|fragment)\b\s*(\w*)", text, re.M):
        depth, i, opened = 0, m.start(), False
        while i < len(text):
            c = text[i]
            if c == '"':
                i = text.index('"', i + 1)
            elif c == "{":
                depth, opened = depth + 1, True
            elif c == "}":
                depth -= 1
                if opened and depth == 0:
                    break
            i += 1
        body = "\n".join(line.rstrip() for line in text[m.start() : i + 1].splitlines() if line.strip())
        out.append((m.group(1), m.group(2), body))
    return out


def document(op_text, fragments):
    """The operation followed by every fragment it spreads, transitively, in first-use order."""
    needed, queue = [], [op_text]
    while queue:
        for name in re.findall(r"\.\.\.\s*(?!on\b)([A-Za-z_]\w*)", queue.pop(0)):
            if name in fragments and name not in needed:
                needed.append(name)
                queue.append(fragments[name])
    return "\n".join([op_text] + [fragments[n] for n in needed])


def _defaults(op_text):
    header = op_text.split("{", 1)[0]
    return {m.group(1): int(m.group(2)) for m in re.finditer(r"\$(\w+)\s*:\s*Int!?\s*=\s*(\d+)", header)}


def label(facts, small_pages):
    if facts["kind"] == "mutation":
        return "general"
    if facts["kind"] != "query":
        return "?"
    if facts["search"] or any(name == "search" for name, _ in facts["roots"]):
        return "high-compute"
    if facts["max_page"] >= 100 or facts["max_product"] >= 100:
        return "high-compute"
    if facts["connections"] and not small_pages:
        return "general"
    identified = all(
        (name in IDENTIFIED and IDENTIFIED[name] <= set(args)) or (name in SINGLETONS and not args)
        for name, args in facts["roots"]
    )
    return "fast-path" if identified and facts["depth"] <= 4 else "?"


def _small_pages(doc, variables, connections):
    """True when every connection of doc asks for a known page size of at most 1 (a count, or one item)."""
    body = doc.split("{", 1)[1]
    sizes = []
    for m in re.finditer(r"\b(first|last)\s*:\s*(\$?\w+)", body):
        value = m.group(2)
        value = variables.get(value[1:]) if value.startswith("$") else value
        sizes.append(int(value) if value is not None and str(value).isdigit() else None)
    return len(sizes) == connections and all(s is not None and s <= 1 for s in sizes)


def rows():
    fragments, operations = {}, []
    for path in FILES:
        text = registry.github_text(REPO, COMMIT, path)
        for kind, name, body in definitions(text):
            if kind == "fragment":
                fragments[name] = body
            else:
                operations = [op for op in operations if op[0] != name] + [(name, path, body)]
    out, seen = [], set()
    for name, path, op_text in operations:
        doc = document(op_text, fragments)
        var_defs = gql_parse(doc)[0][0][2]
        values = {**VALUES, **({"first": FIRST[name]} if name in FIRST else {})}
        if var_defs.get("input", "").strip("!") in INPUTS:
            values["input"] = INPUTS[var_defs["input"].strip("!")]
        variables = gql_variables(
            var_defs, {k: v for k, v in values.items() if k in var_defs and var_defs[k].endswith("!")}
        )
        sent = {**_defaults(op_text), **variables}
        facts = gql_shape(doc, sent)
        body = {"query": doc, **({"variables": variables} if variables else {})}
        text = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
        if text in seen:
            continue
        seen.add(text)
        out.append(
            registry.api_row(
                SOURCE["name"],
                "POST",
                ENDPOINT,
                JSON_CT,
                text,
                label(facts, _small_pages(doc, sent, facts["connections"])),
                f"github:{REPO}@{COMMIT[:12]}:{path}#{name}",
            )
        )
    return sorted(out, key=lambda r: r["ref"])
