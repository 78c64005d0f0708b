"""100 NumPy exercises (rougier/numpy-100) and 100 pandas puzzles (ajcr/100-pandas-puzzles): short
Python exercises, each one line or a few ("Create a null vector of size 10", "How to find the
memory size of any array", "Select only the rows where the number of visits is greater than 3.").

The prompt is the exercise text alone, as someone would ask it of an assistant: a terse Python
code question. Hints and solutions are left out. NumPy: the questions of source/exercises100.ktx
(blocks "< qN"), without the difficulty stars ("(★☆☆)"). pandas: the markdown cells of
100-pandas-puzzles.ipynb, from the bold puzzle number on ("**4.** ..."); section introductions
before the number and cells without one (prose, helper descriptions) are left out.
"""

import json
import re

from heldout_prompts import drop_heldout
from registry import Prompts, chat_row, github, sample

NUMPY_REPO = "rougier/numpy-100"
NUMPY_COMMIT = "6447594ad639908dc979446a4ec7f0f2e62fb23b"
NUMPY_PATH = "source/exercises100.ktx"
PANDAS_REPO = "ajcr/100-pandas-puzzles"
PANDAS_COMMIT = "457b15f1efc127c6df5171bae34332838a9ffcb0"
PANDAS_PATH = "100-pandas-puzzles.ipynb"
SOURCE = {
    "name": "numpy-pandas-100",
    "package": f"github:{NUMPY_REPO}@{NUMPY_COMMIT} + github:{PANDAS_REPO}@{PANDAS_COMMIT}",
    "licence": "MIT (rougier/numpy-100 LICENSE.txt), MIT (ajcr/100-pandas-puzzles LICENSE)",
    "url": f"https://github.com/{NUMPY_REPO}, https://github.com/{PANDAS_REPO}",
    "label_rule": "Every NumPy exercise and pandas puzzle asks for Python code (create, select, "
    "reshape, group, plot) -> code. Prompt = the exercise text alone; hints and solutions left out.",
}
CAP = 250
_STARS = re.compile(r"\s*\([★☆]+\)")
_PUZZLE = re.compile(r"\*\*(\d+)\.?\*\*\.?\s*")


def numpy_items(prompts):
    text = github(NUMPY_REPO, NUMPY_COMMIT, NUMPY_PATH).decode("utf-8")
    items = []
    for number, body in re.findall(r"^< q(\d+)\n(.*?)(?=^< |\Z)", text, flags=re.M | re.S):
        prompt = prompts.take(_STARS.sub("", body.strip()))
        if prompt is not None:
            items.append((f"{NUMPY_REPO}@{NUMPY_COMMIT[:12]}:{NUMPY_PATH}#q{number}", "code", prompt))
    return items


def pandas_items(prompts):
    notebook = json.loads(github(PANDAS_REPO, PANDAS_COMMIT, PANDAS_PATH).decode("utf-8"))
    items = []
    for cell in notebook["cells"]:
        if cell.get("cell_type") != "markdown":
            continue
        text = "".join(cell.get("source") or [])
        found = _PUZZLE.search(text)
        if found is None:
            continue
        prompt = prompts.take(text[found.end() :])
        if prompt is not None:
            items.append((f"{PANDAS_REPO}@{PANDAS_COMMIT[:12]}:{PANDAS_PATH}#puzzle={found.group(1)}", "code", prompt))
    return items


def candidates():
    """Every usable (ref, label, prompt) item, before the held-out filter and sampling."""
    prompts = Prompts(english_only=True, ignore_case=True)
    return numpy_items(prompts) + pandas_items(prompts)


def rows():
    items, _ = drop_heldout(candidates())
    return [chat_row(SOURCE["name"], label, ref, prompt) for ref, label, prompt in sample(items, {"code": CAP})]
