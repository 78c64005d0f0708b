"""NQ-open (google-research-datasets/natural-questions on GitHub): real Google search questions.

nq_open/NQ-open.dev.jsonl holds the 3,610 questions of the original NQ-open dev split: questions
people typed into Google search that a Wikipedia passage answers in a few words ("who wrote he
ain't heavy he's my brother lyrics"). Only the question is sent; the answers are left out.
"""

from registry import Prompts, chat_row, github, json_lines, sample

REPO = "google-research-datasets/natural-questions"
COMMIT = "fb26a3073b1fe636c97302890a27b491d6530130"
PATH = "nq_open/NQ-open.dev.jsonl"
SOURCE = {
    "name": "nq-open",
    "package": f"github:{REPO}@{COMMIT}",
    "licence": "CC BY-SA 3.0 (Natural Questions data, per nq_open/README.md); repository code Apache-2.0",
    "url": f"https://github.com/{REPO}",
    "label_rule": "Every NQ-open question is a short factual question with a short answer (at most five "
    "tokens, by the dataset's construction) -> fast.",
}
CAP = 250


def rows():
    items, prompts = [], Prompts()
    for n, record in json_lines(github(REPO, COMMIT, PATH)):
        prompt = prompts.take(record["question"])
        if prompt is None:
            continue
        items.append((f"{REPO}@{COMMIT[:12]}:{PATH}#line={n}", "fast", prompt))
    return [chat_row(SOURCE["name"], label, ref, prompt) for ref, label, prompt in sample(items, {"fast": CAP})]
