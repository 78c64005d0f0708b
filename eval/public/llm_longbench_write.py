"""LongBench-Write (THUDM/LongWriter on GitHub): English writing requests with a length to reach.

evaluation/longbench_write_en.jsonl holds the 60 English prompts of LongBench-Write (Bai et al.,
2024), user writing instructions of seven types (Literature and Creative Writing, Academic and
Monograph, Popular Science, Functional Writing, News Report, Community Forum, Education and
Training), most asking for a number of words ("write a 100-word short thank you email ..."). The
prompt is sent as it is; the few prompts of the English file that are written in Chinese are
dropped by registry.english(). Held out: a test set, never trained on.
"""

from registry import Prompts, chat_row, github, json_lines, sample

REPO = "THUDM/LongWriter"
COMMIT = "3fcfdff43deceb49f7936c6bf25ad88d61df0bfa"
PATH = "evaluation/longbench_write_en.jsonl"
SOURCE = {
    # Added 2026-12-07 as an LLM test set: never trained on, never used to choose a signal.
    "split": "heldout",
    "name": "longbench-write",
    "package": f"github:{REPO}@{COMMIT}",
    "licence": "Apache-2.0 (THUDM/LongWriter LICENSE.txt)",
    "url": f"https://github.com/{REPO}",
    "label_rule": "Every type (Literature and Creative Writing, Academic and Monograph, Popular Science, "
    "Functional Writing, News Report, Community Forum, Education and Training) is a writing request -> chat.",
}
CAP = 150


def rows():
    items, prompts = [], Prompts(english_only=True)
    for n, record in json_lines(github(REPO, COMMIT, PATH)):
        prompt = prompts.take(record["prompt"])
        if prompt is None:
            continue
        items.append((f"{REPO}@{COMMIT[:12]}:{PATH}#line={n}", "chat", prompt))
    return [chat_row(SOURCE["name"], label, ref, prompt) for ref, label, prompt in sample(items, {"chat": CAP})]
