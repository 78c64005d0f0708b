"""GPTeacher Code-Instruct (teknium1/GPTeacher on GitHub): programming task instructions.

Codegen/codegen-instruct.json holds about 4,500 Alpaca-style records (instruction, input,
response) that GPT-4 generated as code tasks in many languages ("Write a JavaScript function
that ...", "Develop a shell script to ..."). The prompt is the instruction, followed by the input
after a blank line when there is one; the response is left out. Held out: a test set, never
trained on. The helper gpteacher_items() is shared with llm_gpteacher_roleplay.py.
"""

import json

from registry import Prompts, chat_row, github, sample

REPO = "teknium1/GPTeacher"
COMMIT = "481075123c29854bddb82655badeef6a438f2436"
PATH = "Codegen/codegen-instruct.json"
SOURCE = {
    # Added 2026-12-07 as an LLM test set: never trained on, never used to choose a signal.
    "split": "heldout",
    "name": "gpteacher-code",
    "package": f"github:{REPO}@{COMMIT}",
    "licence": "MIT (teknium1/GPTeacher LICENSE)",
    "url": f"https://github.com/{REPO}",
    "label_rule": "Every record of the Code-Instruct set (Codegen/codegen-instruct.json) is a programming "
    "task by the dataset's construction -> code.",
}
CAP = 150


def gpteacher_items(path, label):
    """(ref, label, prompt) for each record of a GPTeacher JSON file: the instruction, then the input
    after a blank line when there is one. Records without an instruction are left out, and so is
    every prompt registry.Prompts drops (empty, duplicate, too long, not English)."""
    items, prompts = [], Prompts(english_only=True)
    for n, record in enumerate(json.loads(github(REPO, COMMIT, path).decode("utf-8"))):
        parts = [str(record.get("instruction") or "").strip(), str(record.get("input") or "").strip()]
        prompt = prompts.take("\n\n".join(p for p in parts if p)) if parts[0] else None
        if prompt is None:
            continue
        items.append((f"{REPO}@{COMMIT[:12]}:{path}#index={n}", label, prompt))
    return items


def rows():
    items = gpteacher_items(PATH, "code")
    return [chat_row(SOURCE["name"], label, ref, prompt) for ref, label, prompt in sample(items, {"code": CAP})]
