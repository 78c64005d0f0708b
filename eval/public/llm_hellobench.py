"""HelloBench (Quehry/HelloBench on GitHub): long-text generation prompts from Quora and Reddit.

data/main_data/ holds HelloBench's five task files (Que et al., 2024). Two are used:
open_ended_qa.jsonl (200 open questions from Quora in 10 topics, asked for a detailed answer) and
heuristic_text_generation.jsonl (123 writing prompts: story, role-playing, screenplay,
argumentative and keyword writing). The prompt is the record's `instruction`, the text the
benchmark sends to the model (the question or writing prompt inside HelloBench's short template).
Held out: a test set, never trained on.
"""

from registry import Prompts, chat_row, github, json_lines, sample

REPO = "Quehry/HelloBench"
COMMIT = "d403282968b0a61a4963a73c631d3fc1318f17d7"
PATHS = ("data/main_data/open_ended_qa.jsonl", "data/main_data/heuristic_text_generation.jsonl")
SOURCE = {
    # Added 2026-12-07 as an LLM test set: never trained on, never used to choose a signal.
    "split": "heldout",
    "name": "hellobench",
    "package": f"github:{REPO}@{COMMIT}:{PATHS[0]} (+ {PATHS[1]})",
    "licence": "MIT (Quehry/HelloBench LICENSE; questions and prompts collected there from Quora and Reddit)",
    "url": f"https://github.com/{REPO}",
    "label_rule": "Task file open_ended_qa (detailed long answers to open questions: science, tech, food, "
    "travel, health, ...) and heuristic_text_generation (story, role-playing, screenplay, argumentative "
    "and keyword writing) -> chat. The other task files (chat, summarization, text_completion) are not used.",
}
CAP = 150


def rows():
    items, prompts = [], Prompts(english_only=True)
    for path in PATHS:
        for _, record in json_lines(github(REPO, COMMIT, path)):
            prompt = prompts.take(record["instruction"])
            if prompt is None:
                continue
            items.append((f"{REPO}@{COMMIT[:12]}:{path}#id={record['id']}", "chat", prompt))
    return [chat_row(SOURCE["name"], label, ref, prompt) for ref, label, prompt in sample(items, {"chat": CAP})]
