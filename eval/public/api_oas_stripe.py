"""Stripe API requests from Stripe's own OpenAPI description (github.com/stripe/openapi, MIT).

The spec is `openapi/spec3.json` at the tag v127 (API version 2020-08-27, April 2022): the newest release
whose spec3.json the local mirror holds (later versions are larger than the mirror keeps). Stripe's
writes are form-encoded (`application/x-www-form-urlencoded`, nested fields as `a[b]=c`, the way Stripe's
docs and SDKs send them); the spec documents no request examples, so bodies are the request schema's
required fields with values of the kind Stripe's API reference uses (amount 2000, currency usd,
`metadata[order_id]=6735` where a write has no required field). Path parameters get Stripe-style ids
(cus_..., ch_..., pi_...). Searches get the query strings of Stripe's search docs. Shared OpenAPI
helpers: api_oas_github.py.
"""

import json
import re
import urllib.parse

import registry
from api_oas_github import oas_requests, oas_resolver, oas_sample, optional_by_hash

REPO = "stripe/openapi"
COMMIT = "e0123a38b40c8d840b4c0469ac0ee1650b6bfea3"  # tag v127
SPEC = "openapi/spec3.json"

SOURCE = {
    # Added 2026-12-06 as a test set: never trained on, never used to choose a signal.
    "split": "heldout",
    "name": "oas-stripe",
    "package": f"github:{REPO}@{COMMIT}:{SPEC}",
    "licence": "MIT (repository LICENSE; the spec has no info.license)",
    "url": "https://github.com/stripe/openapi/blob/v127/openapi/spec3.json",
    "label_rule": (
        "From the documented operationId, path and description, first match wins: "
        "high-compute for the search operations (operationId *Search, GET /v1/<objects>/search: a query language "
        "over every object of the account), PostReportingReportRuns ('begin running the report'), "
        "GetSubscriptionItemsSubscriptionItemUsageRecordSummaries (usage aggregated per billing period) and "
        "GetQuotesQuotePdf ('Download the PDF': a render); "
        "? for GetInvoicesUpcoming and GetCreditNotesPreview (compute a preview of an invoice/credit note "
        "without creating it), PostTestHelpersTestClocksTestClockAdvance (advances simulated time: runs all "
        "billing of the objects attached to the clock), and POST /v1/files (multipart upload); "
        "fast-path for a GET whose path ends with an object id parameter (one object by id), GetBalance and "
        "GetAccount (singletons), and GETs whose description starts Retrieve/Retrieves (one sub-object, e.g. "
        "a charge's dispute) or that read a single discount; "
        "general for the other GETs (lists: 'Returns a list', 'List', 'You can see a list', line items) and "
        "every POST and DELETE (create/update/delete/cancel/capture/confirm/pay of one object, tokens, sessions)."
    ),
}

CAPS = {"fast-path": 80, "general": 100, "high-compute": 60, "?": 40}

# Ids by the object they name (path parameter, or the path segment before an {id}).
IDS = {
    "account": "acct_1032D82eZvKYlo2C",
    "accounts": "acct_1032D82eZvKYlo2C",
    "authorization": "iauth_1JVXl82eZvKYlo2CPIiWlzrn",
    "capability": "card_payments",
    "card": "ic_1KGQ1a2eZvKYlo2C1ldSJQ1L",
    "cardholder": "ich_1KGQ1Y2eZvKYlo2C5q2fFvNv",
    "charge": "ch_3KqJhq2eZvKYlo2C0Ah0Rmzs",
    "configuration": "bpc_1KqJ0z2eZvKYlo2CQSq6J1vZ",
    "country": "US",
    "coupon": "Z4OV52SU",
    "credit_note": "cn_1KqJiK2eZvKYlo2CYJ2Lw7Vj",
    "customer": "cus_LXOBvJ2tdGhe3W",
    "dispute": "dp_1KqJk22eZvKYlo2C3RdG4GgW",
    "domain": "apwc_1KqJhV2eZvKYlo2C7Zq7pNmg",
    "early_fraud_warning": "issfr_1KqJkl2eZvKYlo2CRJbjBv2D",
    "fee": "fee_1KqJiw2eZvKYlo2CX3Xh9dcD",
    "file": "file_1KqJia2eZvKYlo2Cm8KSFRrR",
    "intent": "pi_3KqJhq2eZvKYlo2C1mVY2mKc",
    "invoice": "in_1KqJjs2eZvKYlo2CUfb6xvLt",
    "invoiceitem": "ii_1KqJjw2eZvKYlo2CQpQA5pTw",
    "issuer_fraud_record": "issfr_1KqJkl2eZvKYlo2CRJbjBv2D",
    "item": "si_LXOBUyU1ccwNb5",
    "key": "ephkey_1KqJmM2eZvKYlo2C2FXe4uVw",
    "link": "link_1KqJia2eZvKYlo2CdOL0rtQ5",
    "location": "tml_Eeqp4JdhNkBcgtWbGBXJ1mq3",
    "mandate": "mandate_1KqJmX2eZvKYlo2CjLrS3m0y",
    "mandate_notification": "mandate_notif_1KqJmX2eZvKYlo2C",
    "payment_link": "plink_1KqJi72eZvKYlo2CJm4lPJxt",
    "payment_method": "pm_1KqJir2eZvKYlo2CiWQ3i9F4",
    "payout": "po_1KqJjS2eZvKYlo2CbnSv5f4t",
    "person": "person_LXOBHo9bF0pD8b",
    "plan": "price_1KqJhW2eZvKYlo2CGyLeTd5o",
    "price": "price_1KqJhW2eZvKYlo2CGyLeTd5o",
    "promotion_code": "promo_1KqJi22eZvKYlo2CXcz6n0Kt",
    "quote": "qt_1KqJk82eZvKYlo2CwsjX6iK9",
    "rate_id": "txr_1KqJjd2eZvKYlo2CHVWE3uLq",
    "reader": "tmr_Eeqp5j0e2YCYQ8hpcM4j6x7F",
    "receiver": "btcrcv_1KqJi52eZvKYlo2CH2pzHBmh",
    "refund": "re_3KqJhq2eZvKYlo2C0uY6vBWj",
    "report": "frr_1KqJlA2eZvKYlo2C1Q7ajXx9",
    "report_run": "frr_1KqJlA2eZvKYlo2C1Q7ajXx9",
    "report_type": "balance.summary.1",
    "review": "prv_1KqJlI2eZvKYlo2CWYW1Vjcq",
    "schedule": "sub_sched_1KqJkD2eZvKYlo2CGz8pVzc9",
    "scheduled_query_run": "sqr_1KqJlR2eZvKYlo2CO9V6e7z2",
    "session": "cs_test_a1b2c3d4e5f6g7h8i9j0",
    "settlement": "islm_1KqJlc2eZvKYlo2C9XtP6Bt3",
    "shipping_rate_token": "shr_1KqJi22eZvKYlo2CbEHhmkGc",
    "source": "src_1KqJio2eZvKYlo2CMFtGP4gY",
    "source_transaction": "srctxn_1KqJio2eZvKYlo2C",
    "subscription_exposed_id": "sub_1KqJjx2eZvKYlo2Cm5DoKs3T",
    "subscription_item": "si_LXOBUyU1ccwNb5",
    "tax_rate": "txr_1KqJjd2eZvKYlo2CHVWE3uLq",
    "test_clock": "clock_1KqJmg2eZvKYlo2Cb7gY1Eyx",
    "three_d_secure": "tdsrc_1KqJmn2eZvKYlo2CfWV4XwMm",
    "token": "tok_1KqJmr2eZvKYlo2CGkQ4cVGR",
    "topup": "tu_1KqJmv2eZvKYlo2C4dfVqnBG",
    "transaction": "txn_1KqJjQ2eZvKYlo2CzI2D3qxS",
    "transfer": "tr_1KqJn32eZvKYlo2CiXbYV0uy",
    "value_list": "rsl_1KqJn72eZvKYlo2CqQoB1fYb",
    "webhook_endpoint": "we_1KqJnB2eZvKYlo2CkQYfHgtl",
    # segments before an {id}
    "bank_accounts": "ba_1KqJnF2eZvKYlo2CqzJ6X1vF",
    "external_accounts": "ba_1KqJnF2eZvKYlo2CqzJ6X1vF",
    "application_fees": "fee_1KqJiw2eZvKYlo2CX3Xh9dcD",
    "refunds": "fr_1KqJnK2eZvKYlo2Cf3Ug3c2D",
    "reversals": "trr_1KqJnO2eZvKYlo2CA1n9VpcA",
    "transfers": "tr_1KqJn32eZvKYlo2CiXbYV0uy",
    "history": "txn_1KqJjQ2eZvKYlo2CzI2D3qxS",
    "balance_transactions": "txn_1KqJjQ2eZvKYlo2CzI2D3qxS",
    "receivers": "btcrcv_1KqJi52eZvKYlo2CH2pzHBmh",
    "credit_notes": "cn_1KqJiK2eZvKYlo2CYJ2Lw7Vj",
    "events": "evt_1KqJnS2eZvKYlo2CzFjP9q5D",
    "exchange_rates": "eur",
    "file_links": "link_1KqJia2eZvKYlo2CdOL0rtQ5",
    "files": "file_1KqJia2eZvKYlo2Cm8KSFRrR",
    "order_returns": "orret_1KqJnW2eZvKYlo2C",
    "orders": "or_1KqJnZ2eZvKYlo2C",
    "recipients": "rp_1KqJnc2eZvKYlo2C",
    "skus": "sku_LXOBKrQ5sFvPNV",
    "products": "prod_LXOBNcLtUO1Gq5",
    "tax_codes": "txcd_99999999",
    "tax_ids": "txi_1KqJng2eZvKYlo2C",
    "sources": "src_1KqJio2eZvKYlo2CMFtGP4gY",
    "cards": "card_1KqJnk2eZvKYlo2CTyBRxk9l",
    "verification_sessions": "vs_1KqJno2eZvKYlo2C",
    "verification_reports": "vr_1KqJns2eZvKYlo2C",
}

SEARCH = {
    "charges": "amount>999 AND metadata['order_id']:'6735'",
    "customers": "email:'jenny.rosen@example.com'",
    "invoices": "total>999 AND metadata['order_id']:'6735'",
    "payment_intents": "status:'succeeded' AND metadata['order_id']:'6735'",
    "prices": "active:'true' AND metadata['order_id']:'6735'",
    "products": "active:'true' AND metadata['order_id']:'6735'",
    "subscriptions": "status:'active' AND metadata['order_id']:'6735'",
}

FIELDS = {
    "amount": 2000,
    "currency": "usd",
    "customer": "cus_LXOBvJ2tdGhe3W",
    "email": "jenny.rosen@example.com",
    "name": "Jenny Rosen",
    "country": "US",
    "url": "https://example.com/my/webhook/endpoint",
    "enabled_events": ["charge.failed", "charge.succeeded"],
    "success_url": "https://example.com/success",
    "cancel_url": "https://example.com/cancel",
    "return_url": "https://example.com/return",
    "refresh_url": "https://example.com/reauth",
    "product": "prod_LXOBNcLtUO1Gq5",
    "price": "price_1KqJhW2eZvKYlo2CGyLeTd5o",
    "invoice": "in_1KqJjs2eZvKYlo2CUfb6xvLt",
    "subscription": "sub_1KqJjx2eZvKYlo2Cm5DoKs3T",
    "destination": "acct_1032D82eZvKYlo2C",
    "external_account": "btok_1KqJnv2eZvKYlo2C",
    "domain_name": "example.com",
    "display_name": "Sales Tax",
    "percentage": 8.25,
    "inclusive": False,
    "quantity": 1,
    "timestamp": 1650000000,
    "frozen_time": 1650000000,
    "advance_to": 1652592000,
    "payment_method": "pm_card_visa",
    "type": "card",
    "value": "fraud@example.com",
    "value_list": "rsl_1KqJn72eZvKYlo2CqQoB1fYb",
    "alias": "custom_email_blocklist",
    "code": "SUMMER22",
    "coupon": "Z4OV52SU",
    "report_type": "balance.summary.1",
    "purpose": "dispute_evidence",
    "registration_code": "simulated-wpe",
    "label": "Front desk",
    "line_items": [{"price": "price_1KqJhW2eZvKYlo2CGyLeTd5o", "quantity": 1}],
    "items": [{"price": "price_1KqJhW2eZvKYlo2CGyLeTd5o"}],
    "mode": "payment",
    "payment_method_types": ["card"],
    "description": "Example",
    "interval": "month",
    "id": "SUMMER22",
    "account": "acct_1032D82eZvKYlo2C",
    "reason": "fraud",
    "file": "file_1KqJia2eZvKYlo2Cm8KSFRrR",
    "city": "San Francisco",
    "line1": "510 Townsend St",
    "postal_code": "94103",
    "state": "CA",
}


def values(path, name):
    if name == "query":
        seg = path.strip("/").split("/")
        return SEARCH.get(seg[1] if len(seg) > 1 else "", "metadata['order_id']:'6735'")
    if name == "id":
        seg = path.split("/{id}")[0].rsplit("/", 1)[-1]
        return IDS.get(seg, "obj_1KqJo02eZvKYlo2C")
    if name == "report" and path.startswith("/v1/identity/verification_reports/"):
        return "vr_1KqJns2eZvKYlo2CnR4tqm7V"
    if name == "session" and path.startswith("/v1/identity/verification_sessions/"):
        return "vs_1KqJno2eZvKYlo2C7hUjXh3k"
    if name == "intent" and path.startswith("/v1/setup_intents/"):
        return "seti_1KqJo42eZvKYlo2CtYpxgmUr"
    if name in ("limit",):
        return 10
    if name == "type" and "/reporting/" not in path:
        return "card" if "payment_methods" in path else None
    return IDS.get(name)


def label(method, path, op):
    op_id = op.get("operationId", "")
    desc = re.sub(r"<[^>]+>", "", op.get("description") or "").strip()
    if op_id.endswith("Search") or op_id in (
        "PostReportingReportRuns",
        "GetSubscriptionItemsSubscriptionItemUsageRecordSummaries",
        "GetQuotesQuotePdf",
    ):
        return "high-compute"
    if op_id in ("GetInvoicesUpcoming", "GetCreditNotesPreview", "PostTestHelpersTestClocksTestClockAdvance"):
        return "?"
    if op_id == "PostFiles":
        return "?"
    if method == "get":
        if path.endswith("}") or op_id in ("GetBalance", "GetAccount") or path.endswith("/discount"):
            return "fast-path"
        if re.match(r"Retrieves? (?!the list|a list)", desc):
            return "fast-path"
        return "general"
    return "general"


def _form_fields(res, schema, depth=0):
    """(key, value) pairs of the schema's required properties, nested in Stripe's a[b] form."""
    schema = res(schema or {})
    out = []
    props = schema.get("properties", {}) or {}
    for name in schema.get("required", []) or []:
        prop = res(props.get(name, {}))
        if prop.get("anyOf"):
            prop = res(prop["anyOf"][0])
        if prop.get("enum"):
            out.append((name, FIELDS[name] if FIELDS.get(name) in prop["enum"] else prop["enum"][0]))
        elif name in FIELDS:
            out.append((name, FIELDS[name]))
        elif prop.get("type") == "object" and depth < 2:
            for key, v in _form_fields(res, prop, depth + 1):
                head, _, rest = key.partition("[")
                out.append((f"{name}[{head}]" + ("[" + rest if rest else ""), v))
        elif prop.get("type") == "integer":
            out.append((name, 1))
        elif prop.get("type") == "boolean":
            out.append((name, "true"))
        elif prop.get("type") == "array":
            out.append((name, []))
        else:
            out.append((name, "example"))
    return out


def _encode(pairs):
    flat = []
    for key, value in pairs:
        if isinstance(value, list):
            for i, v in enumerate(value):
                if isinstance(v, dict):
                    flat += [(f"{key}[{i}][{k}]", w) for k, w in v.items()]
                else:
                    flat.append((f"{key}[{i}]", v))
        elif isinstance(value, bool):
            flat.append((key, "true" if value else "false"))
        else:
            flat.append((key, value))
    return urllib.parse.urlencode(flat)


def rows():
    doc = json.loads(registry.github(REPO, COMMIT, SPEC))
    res = oas_resolver(doc)
    ref = f"github:{REPO}@{COMMIT[:12]}:{SPEC}"
    forms = {}
    for item in doc["paths"].values():
        for method, op in item.items():
            if method in ("post", "delete") and isinstance(op, dict):
                content = (res(op.get("requestBody") or {}).get("content")) or {}
                media = content.get("application/x-www-form-urlencoded")
                if media:
                    forms[op["operationId"]] = res(media.get("schema", {}))

    def optional(op_id, prm, path):
        return prm["name"] == "limit" and optional_by_hash(op_id, prm, path)

    items = oas_requests(doc, values, label, ref, optional_query=optional)
    for it in items:
        op_id = it["key"]
        if op_id == "PostFiles":
            it["contentType"] = "multipart/form-data; boundary=stripe"
            it["body"] = (
                '--stripe\r\nContent-Disposition: form-data; name="purpose"\r\n\r\ndispute_evidence\r\n'
                '--stripe\r\nContent-Disposition: form-data; name="file"; filename="receipt.pdf"\r\n'
                "Content-Type: application/pdf\r\n\r\n<pdf bytes>\r\n--stripe--\r\n"
            )
            continue
        if it["method"] == "GET":
            it["contentType"], it["body"] = "", ""
            continue
        schema = forms.get(op_id)
        if schema is None:
            it["contentType"], it["body"] = "", ""
            continue
        pairs = _form_fields(res, schema)
        if not pairs and it["method"] == "POST" and "metadata" in (schema.get("properties") or {}):
            pairs = [("metadata[order_id]", "6735")]
        it["body"] = _encode(pairs)
        it["contentType"] = "application/x-www-form-urlencoded" if it["body"] else ""
    return oas_sample(SOURCE["name"], items, CAPS)
