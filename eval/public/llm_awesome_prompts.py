"""awesome-chatgpt-prompts (f/awesome-chatgpt-prompts on GitHub), prompts.csv at a pinned commit.

prompts.csv lists "act as" prompts with the columns act, prompt, for_devs, type (and later
contributor). The commit pinned here (2025-11-29) is the last before the list grew from the
original ~220 curated role prompts to over a thousand agent and workflow templates; it is also
the newest version whose blob the local mirror holds (at the later commit f14bb05 the file is
listed but absent).
"""

import csv
import io

from registry import Prompts, chat_row, github, sample

REPO = "f/awesome-chatgpt-prompts"
COMMIT = "eb5aaf35fd94cea865a429b2b42c10983f1752ae"
PATH = "prompts.csv"
SOURCE = {
    "name": "awesome-chatgpt-prompts",
    "package": f"github:{REPO}@{COMMIT}",
    "licence": "CC0-1.0",
    "url": f"https://github.com/{REPO}",
    "label_rule": "The source's own for_devs column: TRUE (prompts flagged for developers: act as a Linux "
    "terminal, JavaScript console, SQL terminal, code reviewer, ...) -> code; FALSE (role play, "
    "writing, coaching and advice roles) -> chat.",
}
LABELS = {"TRUE": "code", "FALSE": "chat"}
CAP = 250


def rows():
    text = github(REPO, COMMIT, PATH).decode("utf-8")
    items, prompts = [], Prompts(english_only=True)
    for n, r in enumerate(csv.DictReader(io.StringIO(text)), 2):
        label = LABELS[r["for_devs"]]  # an unknown value is an error, not a guess
        prompt = prompts.take(r["prompt"])
        if prompt is None:
            continue
        items.append((f"{REPO}@{COMMIT[:12]}:{PATH}#line={n}", label, prompt))
    return [
        chat_row(SOURCE["name"], label, ref, prompt) for ref, label, prompt in sample(items, {"code": CAP, "chat": CAP})
    ]
