"""SWE-Lancer (freelance software engineering tasks from the Expensify repository), as shipped in
the inspect-evals wheel.

Each individual-contributor (`ic_swe`) task is a GitHub issue a freelancer was paid to fix: a bug
report or feature request against a React Native app, with reproduction steps, expected and
actual results. Fixing it is a programming task, the documented semantics of the `code` pool of
config/examples/llm-models.yaml. Manager tasks (choosing between proposals) are left out.
"""

import csv
import io
import sys

from registry import Prompts, chat_row, pypi, read, sort_key

VERSION = "0.26.0"
WHEEL = f"inspect_evals-{VERSION}-py3-none-any.whl"
SOURCE = {
    "name": "swelancer",
    "package": f"pypi:inspect-evals=={VERSION}",
    "licence": "MIT (openai/SWELancer-Benchmark LICENSE.md; the issue texts are public Expensify/App GitHub issues, MIT), MIT (inspect_evals)",
    "url": "https://github.com/openai/SWELancer-Benchmark",
    "label_rule": "Every ic_swe task (title and issue description, the text the freelancer was asked to fix) "
    "-> code; at most 200, sampled by question_id; tasks over 4,000 characters left out. "
    "swe_manager tasks left out.",
}
MEMBER = "inspect_evals/swe_lancer/data/all_swelancer_tasks.csv"
CAP = 200


def rows():
    csv.field_size_limit(sys.maxsize)
    wheel = pypi("inspect-evals", VERSION)
    items, prompts = [], Prompts()
    for record in csv.DictReader(io.StringIO(read(wheel, MEMBER).decode("utf-8"))):
        if record.get("variant") != "ic_swe" or not record["description"].strip():
            continue
        text = prompts.take(f"{record['title'].strip()}\n\n{record['description'].strip()}")
        if text is None:
            continue
        items.append((f"{MEMBER}#question_id={record['question_id']}", text))
    return [
        chat_row(SOURCE["name"], "code", f"{WHEEL}:{ref}", t)
        for ref, t in sorted(items, key=lambda it: sort_key(it[0]))[:CAP]
    ]
