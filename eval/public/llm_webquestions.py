"""WebQuestions (brmson/dataset-factoid-webquestions on GitHub): questions from Google Suggest.

main/test.json holds the 2,032 test questions of WebQuestions (Berant et al., 2013): questions
found through the Google Suggest API and answered from Freebase by crowd workers ("what is cher's
son's name?", "where to fly into bali?"). Only the question is sent; the answers are left out.
Held out: a test set, never trained on.
"""

import json

from registry import Prompts, chat_row, github, sample

REPO = "brmson/dataset-factoid-webquestions"
COMMIT = "668890853388010fe6ae9a5eb035a7917b88933b"
PATH = "main/test.json"
SOURCE = {
    # Added 2026-12-07 as an LLM test set: never trained on, never used to choose a signal.
    "split": "heldout",
    "name": "webquestions",
    "package": f"github:{REPO}@{COMMIT}",
    "licence": "CC BY 4.0 (README of brmson/dataset-factoid-webquestions; WebQuestions itself CC BY)",
    "url": f"https://github.com/{REPO}",
    "label_rule": "Every WebQuestions question is a short factual question answered by a few Freebase "
    "entities -> fast.",
}
CAP = 150


def rows():
    items, prompts = [], Prompts()
    for question in json.loads(github(REPO, COMMIT, PATH).decode("utf-8")):
        prompt = prompts.take(question["qText"])
        if prompt is None:
            continue
        items.append((f"{REPO}@{COMMIT[:12]}:{PATH}#qId={question['qId']}", "fast", prompt))
    return [chat_row(SOURCE["name"], label, ref, prompt) for ref, label, prompt in sample(items, {"fast": CAP})]
