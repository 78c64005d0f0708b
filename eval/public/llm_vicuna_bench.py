"""Vicuna bench (lm-sys/FastChat on GitHub): the 80 questions used to evaluate Vicuna.

fastchat/llm_judge/data/vicuna_bench/question.jsonl holds 80 one-turn questions in 9
categories: generic, knowledge, roleplay, common-sense, fermi, counterfactual, coding, math,
writing. (MT-Bench, in the same folder, is already in the corpus as `mtbench`.)
"""

from registry import Prompts, chat_row, github, json_lines, sample

REPO = "lm-sys/FastChat"
COMMIT = "0e6d3e4beaab66f4d3f93db72541a4abab8af28d"
PATH = "fastchat/llm_judge/data/vicuna_bench/question.jsonl"
SOURCE = {
    "name": "vicuna-bench",
    "package": f"github:{REPO}@{COMMIT}",
    "licence": "Apache-2.0 (lm-sys/FastChat)",
    "url": f"https://github.com/{REPO}",
    "label_rule": "Vicuna-bench category: coding -> code; writing, roleplay, generic (how-to advice and "
    "explanations), knowledge (in-depth explanations), counterfactual (open-ended 'what if' essays) "
    "-> chat; math, fermi (estimates with a worked chain of reasoning) and common-sense (open "
    "questions of judgement) -> ambiguous, never scored.",
}
LABELS = {
    "coding": "code",
    "writing": "chat",
    "roleplay": "chat",
    "generic": "chat",
    "knowledge": "chat",
    "counterfactual": "chat",
    "math": "?",
    "fermi": "?",
    "common-sense": "?",
}
CAP = 250


def rows():
    items, prompts = [], Prompts()
    for _, q in json_lines(github(REPO, COMMIT, PATH)):
        label = LABELS[q["category"]]  # an unknown category is an error, not a guess
        prompt = prompts.take(q["turns"][0])
        if prompt is None:
            continue
        items.append((f"{REPO}@{COMMIT[:12]}:{PATH}#question_id={q['question_id']}", label, prompt))
    caps = {"code": CAP, "chat": CAP, "?": CAP}
    return [chat_row(SOURCE["name"], label, ref, prompt) for ref, label, prompt in sample(items, caps)]
