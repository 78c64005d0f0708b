"""HELM's "Best ChatGPT Prompts" grammar, as shipped in the crfm-helm wheel.

helm/benchmark/scenarios/best_chatgpt_prompts.yaml is the grammar behind HELM's instruction-
following scenario `grammar` ("open-ended instruction following"). Its Root rules are everyday
requests to an assistant, copied by the HELM authors from Gridfiti's "best ChatGPT prompts"
list, each rule tagged with Gridfiti's section: personal, funny, student, marketing, creative,
copywriting, health, event, email, resume, ... (23 sections). Some prompts hold a placeholder
such as ${City} or ${Article}, filled from the grammar's own small lists.

One prompt is taken per Root template: when a template has placeholders, the filling is chosen
by the sha256 of the template's id (not the full cross product, so that one template with many
fillings cannot crowd out the others).
"""

import itertools
import re

import yaml

from registry import Prompts, chat_row, pypi, read, sort_key

VERSION = "0.5.16"
WHEEL = f"crfm_helm-{VERSION}-py3-none-any.whl"
MEMBER = "helm/benchmark/scenarios/best_chatgpt_prompts.yaml"
SOURCE = {
    "name": "helm-best-prompts",
    "package": f"pypi:crfm-helm=={VERSION}",
    "licence": "Apache-2.0 (stanford-crfm/helm); the prompts were collected by HELM from Gridfiti's "
    "'best ChatGPT prompts' web page, which states no licence of its own",
    "url": "https://github.com/stanford-crfm/helm",
    "label_rule": "Root prompts by their Gridfiti section tag: personal, funny, student, marketing, midjourney, "
    "entrepreneur, blogging, creative, copywriting, health, event, designer, artist, project, seo, "
    "email, social, content, sales, real (estate), resume, product -> chat. "
    "web (a mix of code-writing and web-design questions) -> ambiguous, never scored.",
}
AMBIGUOUS_TAGS = {"web"}
CAP = 250
AMBIGUOUS_CAP = 50
PLACEHOLDER = re.compile(r"(\$\{\w+\})")


_key = sort_key


def _fillings(text, rules, depth=0):
    """Every string the grammar derives from text (placeholders expanded recursively)."""
    if depth > 5:
        raise SystemExit(f"{MEMBER}: grammar recursion too deep at {text!r}")
    parts = PLACEHOLDER.split(text)
    options = []
    for part in parts:
        if PLACEHOLDER.fullmatch(part):
            category = part[2:-1]
            if category not in rules:
                raise SystemExit(f"{MEMBER}: undefined category {category}")
            options.append([s for e in rules[category] for s in _fillings(e, rules, depth + 1)])
        else:
            options.append([part])
    return ["".join(combo) for combo in itertools.product(*options)]


def rows():
    wheel = pypi("crfm-helm", VERSION)
    grammar = yaml.safe_load(read(wheel, MEMBER).decode("utf-8"))
    rules, roots = {}, []
    for rule in grammar["rules"]:
        texts = [e["text"] for e in rule["expansions"]]
        if rule["category"] == "Root":
            (tag,) = rule["tags"]
            roots.extend((tag, n, text) for n, text in enumerate(texts, 1))
        else:
            rules.setdefault(rule["category"], []).extend(texts)
    items, prompts = {"chat": [], "?": []}, Prompts()
    for tag, n, text in roots:
        ref = f"{MEMBER}#{tag}/{n}"
        fillings = _fillings(text, rules)
        prompt = prompts.take(fillings[int(_key(ref), 16) % len(fillings)])
        if prompt is None:
            continue
        items["?" if tag in AMBIGUOUS_TAGS else "chat"].append((ref, prompt))
    out = []
    for label, cap in (("chat", CAP), ("?", AMBIGUOUS_CAP)):
        for ref, prompt in sorted(items[label], key=lambda it: _key(it[0]))[:cap]:
            out.append(chat_row(SOURCE["name"], label, f"{WHEEL}:{ref}", prompt))
    return out
