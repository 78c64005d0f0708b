"""Shopify Partners / App Management GraphQL API requests: the query documents Shopify's own CLI ships.

npm @shopify/app (the app commands of the Shopify CLI, MIT) sends these documents (gql`...` literals
in dist/cli/api/graphql/ and the developer-platform client) to the Partners API and the App
Management API. Each document becomes one POST /graphql with {"query", "variables"}; required
variables get realistic values by name (an app's API key, an organization id ...).

This module also holds the small GraphQL document analyser (gql_*) that api_gql_shopify_hydrogen.py uses.
"""

import json
import re

import registry

SOURCE = {
    "name": "gql-shopify-partners",
    "package": "npm:@shopify/app@3.58.2",
    "licence": "MIT",
    "url": "https://www.npmjs.com/package/@shopify/app",
    "label_rule": (
        "By the operation's documented shape (fragments expanded), first match wins: mutation -> general; "
        "a query with a search (a field named search/predictiveSearch or a connection given a query: argument, literal or "
        "as a variable that is set) "
        "-> high-compute; a query asking a connection for first/last >= 100 items, or nested connections whose "
        "page sizes multiply to >= 100 -> high-compute; a query with connections of smaller (or variable) page "
        "sizes -> general (a paged list); a query without connections whose every root field is looked up by an "
        "identifying argument (id, apiKey, appId, handle, ...) or is the current account/viewer/shop, whose "
        "name is not a plural (ends in s: a list), with selections at most 3 levels deep (root field, its "
        "fields, one level of sub-objects) -> fast-path; any other query -> ? (lists or deep objects of unknown size)."
    ),
}

ENDPOINT = "/graphql"
JSON_CT = "application/json"

# ---------------------------------------------------------------- shared GraphQL helpers

_TOKEN = re.compile(
    r'"""[\s\S]*?"""|"(?:\\.|[^"\\])*"|\.\.\.|[A-Za-z_][A-Za-z0-9_]*|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[{}()\[\]:!=@$,|&]'
)


def _tokens(text):
    text = re.sub(r"#[^\n]*", "", text)
    return [t for t in _TOKEN.findall(text) if t != ","]


class _Parser:
    def __init__(self, text):
        self.t = _tokens(text)
        self.i = 0

    def peek(self, k=0):
        return self.t[self.i + k] if self.i + k < len(self.t) else None

    def next(self):
        tok = self.peek()
        self.i += 1
        return tok

    def skip_group(self, open_, close):
        depth = 0
        while self.peek() is not None:
            tok = self.next()
            if tok == open_:
                depth += 1
            elif tok == close:
                depth -= 1
                if depth == 0:
                    return

    def args(self):
        """{name: literal int | '$var' | 'other'} of a parenthesised argument list."""
        out = {}
        if self.peek() != "(":
            return out
        self.next()
        while self.peek() not in (")", None):
            name = self.next()
            if self.peek() == ":":
                self.next()
            tok = self.peek()
            if tok in ("{", "["):
                self.skip_group(tok, "}" if tok == "{" else "]")
                out[name] = "other"
            elif tok == "$":
                self.next()
                out[name] = "$" + self.next()
            else:
                self.next()
                out[name] = int(tok) if re.fullmatch(r"-?\d+", tok or "") else "other"
        self.next()
        return out

    def directives(self):
        while self.peek() == "@":
            self.next()
            self.next()
            self.args()

    def selection_set(self):
        """List of selections: ('field', name, args, children) or ('spread', fragment name)."""
        out = []
        if self.peek() != "{":
            return out
        self.next()
        while self.peek() not in ("}", None):
            if self.peek() == "...":
                self.next()
                if self.peek() == "on" or self.peek() in ("{", "@"):
                    if self.peek() == "on":
                        self.next()
                        self.next()
                    self.directives()
                    out.extend(self.selection_set())
                else:
                    out.append(("spread", self.next()))
                    self.directives()
                continue
            name = self.next()
            if self.peek() == ":":
                self.next()
                name = self.next()
            args = self.args()
            self.directives()
            out.append(("field", name, args, self.selection_set()))
        self.next()
        return out


def gql_parse(text):
    """(operations, fragments): operations as (kind, name, variable defs {name: type}, selections)."""
    p = _Parser(text)
    ops, frags = [], {}
    while p.peek() is not None:
        tok = p.peek()
        if tok == "{":
            ops.append(("query", "", {}, p.selection_set()))
        elif tok in ("query", "mutation", "subscription"):
            p.next()
            name = p.next() if p.peek() not in ("(", "{", "@") else ""
            variables = {}
            if p.peek() == "(":
                p.next()
                while p.peek() not in (")", None):
                    if p.next() == "$":
                        var = p.next()
                        p.next()  # ':'
                        typ = ""
                        while p.peek() not in ("$", ")", "=", "@", None):
                            typ += p.next()
                        if p.peek() == "=":
                            p.next()
                            tok2 = p.peek()
                            if tok2 in ("{", "["):
                                p.skip_group(tok2, "}" if tok2 == "{" else "]")
                            else:
                                p.next()
                        variables[var] = typ
                p.next()
            p.directives()
            ops.append((tok, name, variables, p.selection_set()))
        elif tok == "fragment":
            p.next()
            name = p.next()
            p.next()  # on
            p.next()  # type
            p.directives()
            frags[name] = p.selection_set()
        else:
            p.next()
    return ops, frags


def _expand(selections, frags, seen=()):
    out = []
    for sel in selections:
        if sel[0] == "spread":
            if sel[1] in frags and sel[1] not in seen:
                out.extend(_expand(frags[sel[1]], frags, seen + (sel[1],)))
        else:
            out.append(("field", sel[1], sel[2], _expand(sel[3], frags, seen)))
    return out


def _is_connection(field):
    _, _, args, children = field
    return "first" in args or "last" in args or any(c[1] in ("nodes", "edges") for c in children)


def _page(field, variables):
    args = field[2]
    for key in ("first", "last"):
        v = args.get(key)
        if isinstance(v, int):
            return v
        if isinstance(v, str) and v.startswith("$") and isinstance(variables.get(v[1:]), int):
            return variables[v[1:]]
    return None


def gql_shape(text, variables=None):
    """Facts about the first operation of a document, fragments expanded."""
    variables = variables or {}
    ops, frags = gql_parse(text)
    kind, name, var_defs, selections = ops[0]
    roots = _expand(selections, frags)
    facts = {
        "kind": kind,
        "name": name,
        "vars": var_defs,
        "search": False,
        "max_page": 0,
        "max_product": 0,
        "connections": 0,
        "depth": 0,
        "roots": [(f[1], sorted(f[2])) for f in roots],
    }

    def walk(fields, depth, product):
        for f in fields:
            facts["depth"] = max(facts["depth"], depth)
            prod = product
            if f[1] in ("search", "predictiveSearch"):
                facts["search"] = True
            if _is_connection(f):
                facts["connections"] += 1
                q = f[2].get("query")
                if q is not None and (not str(q).startswith("$") or variables.get(str(q)[1:]) not in (None, "")):
                    facts["search"] = True
                size = _page(f, variables)
                if size is not None:
                    facts["max_page"] = max(facts["max_page"], size)
                prod = product * (size if size is not None else 1)
                facts["max_product"] = max(facts["max_product"], prod)
            walk(f[3], depth + 1, prod)

    walk(roots, 1, 1)
    return facts


IDENTIFYING = re.compile(r"^(id|ids|gid|apiKey|api_key|appId|handle|login|number|key|customerAccessToken|orderId)$")
SINGLETON = re.compile(r"^(viewer|shop|currentAccountInfo|me|customer|localization)$")


def gql_label(facts):
    if facts["kind"] == "mutation":
        return "general"
    if facts["kind"] != "query":
        return "?"
    if facts["search"] or facts["max_page"] >= 100 or facts["max_product"] >= 100:
        return "high-compute"
    if facts["connections"]:
        return "general"
    identified = all(
        (any(IDENTIFYING.match(a) for a in args) or (not args and SINGLETON.match(name))) and not name.endswith("s")
        for name, args in facts["roots"]
    )
    if identified and facts["depth"] <= 3:
        return "fast-path"
    return "?"


def gql_variables(var_defs, values):
    """Values for the required variables (type ends in '!') and for those the caller names."""
    out = {}
    for name, typ in var_defs.items():
        if name in values:
            out[name] = values[name]
        elif typ.endswith("!"):
            base = typ.strip("[]!")
            out[name] = {"Int": 10, "Boolean": True, "Float": 1.0}.get(
                base, {} if base.endswith("Input") else f"example-{name}"
            )
            if typ.startswith("["):
                out[name] = [out[name]]
    return out


def gql_row(source, text, values, ref, always=()):
    ops, _ = gql_parse(text)
    var_defs = ops[0][2]
    variables = gql_variables(
        var_defs, {k: v for k, v in values.items() if k in var_defs and (var_defs[k].endswith("!") or k in always)}
    )
    facts = gql_shape(text, variables)
    body = {"query": text}
    if variables:
        body["variables"] = variables
    return registry.api_row(
        source,
        "POST",
        ENDPOINT,
        JSON_CT,
        json.dumps(body, separators=(",", ":"), ensure_ascii=False),
        gql_label(facts),
        ref,
    )


def gql_dedup(rows):
    seen, out = set(), []
    for r in rows:
        if r["body"] not in seen:
            seen.add(r["body"])
            out.append(r)
    return sorted(out, key=lambda r: r["ref"])


# ---------------------------------------------------------------- Shopify Partners / App Management

VALUES = {
    "apiKey": "3c8b7a0f2d9e4b1a8c6d5e4f3a2b1c0d",
    "api_key": "3c8b7a0f2d9e4b1a8c6d5e4f3a2b1c0d",
    "id": "1234567",
    "orgId": "1234567",
    "org": 1234567,
    "appId": "gid://shopify/App/987654",
    "versionId": "gid://shopify/Version/4567",
    "versionTag": "v1.2.0",
    "registrationId": "gid://shopify/Registration/76",
    "title": "My Shopify App",
    "appUrl": "https://example.com",
    "redir": ["https://example.com/auth/callback"],
    "applicationUrl": "https://example.com",
    "redirectUrlWhitelist": ["https://example.com/auth/callback"],
    "type": "PRODUCT_SUBSCRIPTION",
    "config": "{}",
    "bundleFormat": 1,
    "version": "2024-01",
    "target": "purchase.payment-customization.run",
    "apiType": "payment_customization",
    "apiVersion": "2024-01",
    "moduleUploadUrl": "https://storage.googleapis.com/shopify-cli/functions/module.wasm",
    "appModules": [],
    "input": {},
}


def rows():
    archive = registry.npm("@shopify/app", "3.58.2")
    out = []
    for name, data in registry.members(archive):
        if not name.endswith(".js") or "/graphql/" not in name:
            continue
        text = data.decode("utf-8")
        for n, m in enumerate(re.finditer(r"gql\s*`([^`]*)`", text)):
            doc = m.group(1)
            if "${" in doc:
                continue
            ref = f"shopify-app-3.58.2.tgz:{name}" + (f"#{n}" if n else "")
            out.append(gql_row(SOURCE["name"], doc.strip(), VALUES, ref))
    return gql_dedup(out)
