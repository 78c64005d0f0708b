"""Shopify Storefront API and Customer Account API GraphQL requests: the documents of the Hydrogen starter.

npm @shopify/cli (MIT) ships the Hydrogen starter storefront template; its codegen output
storefrontapi.generated.d.ts and customer-accountapi.generated.d.ts key every query and mutation the
template sends by the full document text (fragments included). Each document becomes one POST /graphql
with {"query", "variables"}: required variables, @inContext country/language and the pagination size
`first` (8) get realistic values by name. Labelled by api_gql_shopify_partners.gql_label (see label_rule).
"""

import re

import registry
from api_gql_shopify_partners import gql_dedup, gql_row

SOURCE = {
    "name": "gql-shopify-hydrogen",
    "package": "npm:@shopify/cli@4.8.2",
    "licence": "MIT",
    "url": "https://www.npmjs.com/package/@shopify/cli (dist/assets/hydrogen/starter/*.generated.d.ts)",
    "label_rule": (
        "Same as gql-shopify-partners: mutation -> general; search (search/predictiveSearch field, or a connection "
        "given a query: argument) -> high-compute; first/last >= 100 or nested connections whose page sizes "
        "multiply to >= 100 -> high-compute; other queries with connections -> general; queries without "
        "connections whose root fields are all looked up by an identifying argument (handle, id, ...) or are "
        "shop/customer/localization, not plural, at most 3 levels deep -> fast-path; otherwise ?. "
        "Pagination variables are set to first: 8."
    ),
}

FILES = ("storefrontapi.generated.d.ts", "customer-accountapi.generated.d.ts")
VALUES = {
    "country": "US",
    "language": "EN",
    "first": 8,
    "handle": "the-complete-snowboard",
    "headerMenuHandle": "main-menu",
    "footerMenuHandle": "footer",
    "blogHandle": "news",
    "articleHandle": "winter-collection-launch",
    "productId": "gid://shopify/Product/7982905098262",
    "selectedOptions": [{"name": "Size", "value": "154cm"}],
    "term": "snowboard",
    "query": "snowboard",
    "limit": 10,
    "limitScope": "EACH",
    "orderId": "gid://shopify/Order/5678901234",
    "addressId": "gid://shopify/CustomerAddress/8765432",
    "address": {
        "address1": "150 Elgin St",
        "city": "Ottawa",
        "territoryCode": "CA",
        "zoneCode": "ON",
        "zip": "K2P 1L4",
    },
    "customer": {"firstName": "Ada", "lastName": "Lovelace"},
    "types": ["ARTICLE", "COLLECTION", "PAGE", "PRODUCT", "QUERY"],
}
ALWAYS = ("country", "language", "first")


def _js_string(s):
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m.group(1), m.group(1)), s)


def rows():
    archive = registry.npm("@shopify/cli", "4.8.2")
    out = []
    for name, data in registry.members(archive):
        if not name.endswith(FILES) or "/hydrogen/starter/" not in name:
            continue
        text = data.decode("utf-8")
        for m in re.finditer(r"^  '((?:\\.|[^'\\])*)': \{$", text, re.M):
            doc = _js_string(m.group(1))
            op = re.search(r"\b(query|mutation)\s+(\w+)", doc)
            ref = f"shopify-cli-4.8.2.tgz:{name}#{op.group(2) if op else 'anonymous'}"
            out.append(gql_row(SOURCE["name"], doc, VALUES, ref, always=ALWAYS))
    return gql_dedup(out)
