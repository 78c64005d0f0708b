"""OpenAI Evals registry, programming evals: each eval is a small dataset contributed to openai/evals,
shipped in the evals wheel under evals/registry/data/<eval>/.

Each sample's "input" is an OpenAI chat message list (often a system instruction plus a user
turn); it is sent as the request's messages unchanged, except that an input made of one single
system message (sql/spider_sql) is sent as one user message. Only evals whose task is programming
(SQL, cron, CSS selectors, regex, C# LINQ, Python, code review, diffs, JSON Patch, code
termination, language identification of code) are used; at most PER_EVAL samples of each.
"""

import json

from registry import MAX_PROMPT_CHARS, chat_row, json_lines, pypi, read, sort_key

VERSION = "3.0.1.post1"
WHEEL = f"evals-{VERSION}-py3-none-any.whl"
SOURCE = {
    "name": "oaievals-code",
    "package": f"pypi:evals=={VERSION}",
    "licence": "MIT (openai/evals LICENSE.md; none of the evals used is in its list of differently "
    "licensed datasets). sql/spider_sql derives from Spider (CC BY-SA 4.0).",
    "url": "https://github.com/openai/evals",
    "label_rule": "Evals whose task is programming -> code: sql (spider_sql), crontab, css-selectors, "
    "regex-match, csharp-linq, python_list_comprehension, code_progress, infiniteloop-match, "
    "syntax-check, unified_patch, json_patch_object. All other evals left out.",
}
FILES = [
    "sql/spider_sql.jsonl",
    "crontab/samples.jsonl",
    "css-selectors/verbal.jsonl",
    "css-selectors/explain.jsonl",
    "regex-match/samples.jsonl",
    "csharp-linq/questions.jsonl",
    "python_list_comprehension/samples.jsonl",
    "code_progress/samples.jsonl",
    "infiniteloop-match/infiniteloop-match.jsonl",
    "syntax-check/samples.jsonl",
    "unified_patch/samples.jsonl",
    "json_patch_object/samples.jsonl",
]
LABEL = "code"
PER_EVAL = 30
CAP = 250


_key = sort_key


def collect(files, per_eval, cap, label):
    wheel = pypi("evals", VERSION)
    chosen, seen = [], set()
    by_eval = {}
    for rel in files:
        member = f"evals/registry/data/{rel}"
        for n, sample in json_lines(read(wheel, member)):
            messages = sample.get("input")
            if isinstance(messages, str):
                messages = [{"role": "user", "content": messages}]
            if not isinstance(messages, list) or not messages:
                continue
            messages = [{"role": m["role"], "content": str(m["content"]).strip()} for m in messages]
            if len(messages) == 1 and messages[0]["role"] == "system":
                # a few evals (sql/spider_sql) state the whole request as one system message
                messages[0]["role"] = "user"
            if messages[-1]["role"] != "user":
                continue
            # registry.Prompts's checks on a whole message list: last turn empty, list seen, too long in all
            body_key = json.dumps(messages, sort_keys=True)
            too_long = sum(len(m["content"]) for m in messages) > MAX_PROMPT_CHARS
            if not messages[-1]["content"] or body_key in seen or too_long:
                continue
            seen.add(body_key)
            by_eval.setdefault(rel.split("/")[0], []).append((f"{member}#{n}", messages))
    for name in sorted(by_eval):
        items = sorted(by_eval[name], key=lambda it: _key(it[0]))
        chosen.extend(items[:per_eval])
    chosen.sort(key=lambda it: _key(it[0]))
    out = []
    for ref, messages in chosen[:cap]:
        out.append(chat_row(SOURCE["name"], label, f"{WHEEL}:{ref}", messages=messages))
    return out


def rows():
    return [dict(r, source=SOURCE["name"]) for r in collect(FILES, PER_EVAL, CAP, LABEL)]
