"""Counsel Chat (nbertagnolli/counsel-chat on GitHub): questions people asked licensed therapists.

data/20200325_counsel_chat.csv holds questions posted on counselchat.com, each with its topic
(depression, relationships, intimacy, anxiety, parenting, ...) and therapists' answers, one row per
answer. Each question is taken once; the prompt is its title and then, after a blank line, its
text (what the person wrote), as one user message. The answers are left out. Held out.
"""

import csv
import io

from registry import Prompts, chat_row, github, sample

REPO = "nbertagnolli/counsel-chat"
COMMIT = "e202e19c5002482f4f6631af754c276dd9adf7f2"
PATH = "data/20200325_counsel_chat.csv"
SOURCE = {
    # Added 2026-12-07 as an LLM test set: never trained on, never used to choose a signal.
    "split": "heldout",
    "name": "counsel-chat",
    "package": f"github:{REPO}@{COMMIT}",
    "licence": "MIT (nbertagnolli/counsel-chat LICENSE; the questions were scraped there from counselchat.com)",
    "url": f"https://github.com/{REPO}",
    "label_rule": "Every topic (depression, relationships, intimacy, anxiety, family-conflict, parenting, "
    "self-esteem, ...) is a request for counselling: advice and emotional support -> chat.",
}
CAP = 150


def rows():
    items, prompts = [], Prompts(english_only=True)
    text = github(REPO, COMMIT, PATH).decode("utf-8")
    for record in csv.DictReader(io.StringIO(text)):
        title, body = (str(record[k] or "").strip() for k in ("questionTitle", "questionText"))
        prompt = prompts.take("\n\n".join(p for p in (title, body) if p))
        if prompt is None:
            continue
        items.append((f"{REPO}@{COMMIT[:12]}:{PATH}#questionID={record['questionID']}", "chat", prompt))
    return [chat_row(SOURCE["name"], label, ref, prompt) for ref, label, prompt in sample(items, {"chat": CAP})]
