"""CodeSearchNet queries (github/CodeSearchNet on GitHub): the challenge's natural-language queries.

resources/queries.csv holds the 99 queries of the CodeSearchNet Challenge: short phrases people
search for code with ("convert int to string", "priority queue", "aes encryption"), chosen by the
authors from real search-engine queries with a code result (paper: Husain et al., 2019). Each is
sent as it is, one user message. Held out: a test set, never trained on.
"""

import csv
import io

from registry import Prompts, chat_row, github, sample

REPO = "github/CodeSearchNet"
COMMIT = "106e827405c968597da938f6b373d30183918869"
PATH = "resources/queries.csv"
SOURCE = {
    # Added 2026-12-07 as an LLM test set: never trained on, never used to choose a signal.
    "split": "heldout",
    "name": "codesearchnet-queries",
    "package": f"github:{REPO}@{COMMIT}",
    "licence": "MIT (github/CodeSearchNet LICENSE)",
    "url": f"https://github.com/{REPO}",
    "label_rule": "Every query was chosen as a search for code (the challenge ranks functions for it) -> code.",
}
CAP = 150


def rows():
    items, prompts = [], Prompts()
    for n, record in enumerate(csv.DictReader(io.StringIO(github(REPO, COMMIT, PATH).decode("utf-8"))), 2):
        prompt = prompts.take(record["query"])
        if prompt is None:
            continue
        items.append((f"{REPO}@{COMMIT[:12]}:{PATH}#line={n}", "code", prompt))
    return [chat_row(SOURCE["name"], label, ref, prompt) for ref, label, prompt in sample(items, {"code": CAP})]
