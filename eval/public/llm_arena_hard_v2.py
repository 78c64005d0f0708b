"""Arena-Hard-Auto v2.0 (lmarena/arena-hard-auto on GitHub): real Chatbot Arena user prompts.

data/arena-hard-v2.0/question.jsonl holds 750 prompts: 500 "hard_prompt" ones with the
subcategory coding or math, and 250 "creative_writing" ones. Many are not in English (Chinese,
Vietnamese, Russian, Czech, ...): they are dropped by registry.english().
"""

from registry import Prompts, chat_row, github, json_lines, sample

REPO = "lmarena/arena-hard-auto"
COMMIT = "196f6b826783b3da7310e361a805fa36f0be83f3"
PATH = "data/arena-hard-v2.0/question.jsonl"
SOURCE = {
    "name": "arena-hard-v2",
    "package": f"github:{REPO}@{COMMIT}",
    "licence": "Apache-2.0 (lmarena/arena-hard-auto LICENSE; the prompts are Chatbot Arena user prompts "
    "published in that repository)",
    "url": f"https://github.com/{REPO}",
    "label_rule": "Arena-Hard v2.0 subcategory: coding -> code; creative_writing -> chat; math -> "
    "ambiguous, never scored.",
}
LABELS = {"coding": "code", "creative_writing": "chat", "math": "?"}
CAP = 250
AMBIGUOUS_CAP = 100


def rows():
    items, prompts = [], Prompts(english_only=True)
    for _, q in json_lines(github(REPO, COMMIT, PATH)):
        label = LABELS[q["subcategory"]]  # an unknown subcategory is an error, not a guess
        prompt = prompts.take(q["prompt"])
        if prompt is None:
            continue
        items.append((f"{REPO}@{COMMIT[:12]}:{PATH}#uid={q['uid']}", label, prompt))
    caps = {"code": CAP, "chat": CAP, "?": AMBIGUOUS_CAP}
    return [chat_row(SOURCE["name"], label, ref, prompt) for ref, label, prompt in sample(items, caps)]
