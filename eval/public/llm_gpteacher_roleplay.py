"""GPTeacher Roleplay-Instruct (teknium1/GPTeacher on GitHub): role-play instructions.

Roleplay/roleplay-simple-deduped-roleplay-instruct.json holds about 1,900 Alpaca-style records
that GPT-4 generated as tasks "to take on roles of characters, fictional and non-fictional"
(README): "You are a pirate captain ...", "Role play as Charles Darwin ...". The prompt is the
instruction, then the input after a blank line (helper in llm_gpteacher_code.py). Held out.
"""

from llm_gpteacher_code import COMMIT, REPO, gpteacher_items
from registry import chat_row, sample

PATH = "Roleplay/roleplay-simple-deduped-roleplay-instruct.json"
SOURCE = {
    # Added 2026-12-07 as an LLM test set: never trained on, never used to choose a signal.
    "split": "heldout",
    "name": "gpteacher-roleplay",
    "package": f"github:{REPO}@{COMMIT}",
    "licence": "MIT (teknium1/GPTeacher LICENSE)",
    "url": f"https://github.com/{REPO}",
    "label_rule": "Every record of the Roleplay-Instruct set is a role-play task (speak or act as a "
    "character) by the dataset's construction -> chat.",
}
CAP = 150


def rows():
    items = gpteacher_items(PATH, "chat")
    return [chat_row(SOURCE["name"], label, ref, prompt) for ref, label, prompt in sample(items, {"chat": CAP})]
