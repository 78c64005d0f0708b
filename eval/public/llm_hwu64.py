"""HWU64 / NLU-Evaluation-Data (xliuhw/NLU-Evaluation-Data on GitHub): what people say to a home robot.

Crowd workers wrote what they would say to a home assistant robot in 64 intents (Liu et al.,
2019). The full annotated CSV is too large for the local mirror, so the per-intent files of the
authors' first cross-validation fold are read (its train part, 9/10 of each intent):
general_quirky (chit-chat: "can you feel?", "I had a relaxing day today"), general_joke ("do you
know any good jokes?") and qa_factoid ("What's the capital of Tanzania?"). The prompt is the
worker's original text (answer_from_user). Rows the authors left without an answer id (placeholder
text such as "xxx") are skipped. Held out: a test set, never trained on.
"""

import csv
import io

from registry import Prompts, chat_row, github, sample

REPO = "xliuhw/NLU-Evaluation-Data"
COMMIT = "f6071b496b17d71e6eb43f543af0707f4ff30557"
FOLD = "CrossValidation/autoGeneFromRealAnno/autoGene_2018_03_22-13_01_25_169/CrossValidation/KFold_1/trainset"
INTENTS = ("general_quirky", "general_joke", "qa_factoid")
SOURCE = {
    # Added 2026-12-07 as an LLM test set: never trained on, never used to choose a signal.
    "split": "heldout",
    "name": "hwu64",
    "package": f"github:{REPO}@{COMMIT}:{FOLD}/{{{','.join(INTENTS)}}}.csv",
    "licence": "CC BY 4.0 (xliuhw/NLU-Evaluation-Data README and LICENSE)",
    "url": f"https://github.com/{REPO}",
    "label_rule": "Intents general_quirky (chit-chat with the robot), general_joke (asking for a joke) and "
    "qa_factoid (short factual questions) -> fast. The other 61 intents (alarms, lights, e-mail, music, "
    "calendar, ...) are device commands, not LLM prompts, and are left out.",
}
CAP = 150


def rows():
    items, prompts = [], Prompts(english_only=True, ignore_case=True)
    for intent in INTENTS:
        path = f"{FOLD}/{intent}.csv"
        text = github(REPO, COMMIT, path).decode("utf-8")
        for record in csv.DictReader(io.StringIO(text), delimiter=";"):
            prompt = None if record["answerid"] == "null" else prompts.take(record["answer_from_user"])
            if prompt is None:
                continue
            items.append((f"{REPO}@{COMMIT[:12]}:{path}#answerid={record['answerid']}", "fast", prompt))
    return [chat_row(SOURCE["name"], label, ref, prompt) for ref, label, prompt in sample(items, {"fast": CAP})]
