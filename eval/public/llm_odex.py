"""ODEX (zorazrw/odex on GitHub): open-domain Python tasks from StackOverflow questions.

data/en_test.jsonl holds 439 English problems of the ODEX benchmark (Wang et al., 2022): each an
"intent" rewritten by annotators from a StackOverflow question ("check if all elements in list
`myList` are identical"), with a function stub, a reference solution and tests using about 80
libraries. The prompt is the intent alone, as a user would type it: the stub, solution and tests
are left out. Held out: a test set, never trained on.
"""

from registry import Prompts, chat_row, github, json_lines, sample

REPO = "zorazrw/odex"
COMMIT = "21308ea6d474a078d5a85c61c2b5ca228d1fd167"
PATH = "data/en_test.jsonl"
SOURCE = {
    # Added 2026-12-07 as an LLM test set: never trained on, never used to choose a signal.
    "split": "heldout",
    "name": "odex",
    "package": f"github:{REPO}@{COMMIT}",
    "licence": "CC BY-SA 4.0 (zorazrw/odex LICENSE.md and README); intents derived from StackOverflow "
    "(CC BY-SA) via CoNaLa",
    "url": f"https://github.com/{REPO}",
    "label_rule": "Every ODEX problem is a Python code-generation task (the intent is what the function "
    "must do) -> code.",
}
CAP = 150


def rows():
    items, prompts = [], Prompts()
    for n, problem in json_lines(github(REPO, COMMIT, PATH)):
        prompt = prompts.take(problem["intent"])
        if prompt is None:
            continue
        items.append((f"{REPO}@{COMMIT[:12]}:{PATH}#line={n}", "code", prompt))
    return [chat_row(SOURCE["name"], label, ref, prompt) for ref, label, prompt in sample(items, {"code": CAP})]
