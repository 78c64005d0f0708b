"""NL2Bash (TellinaTool/nl2bash on GitHub): one-line Linux shell commands paired with English
descriptions that experts (the authors' hired programmers) wrote for them.

The prompt is one description alone, as someone would ask for the command ("Find all PHP files
under current directory", "Copy file header.shtml to directories dir1, dir2, dir3, and dir4"): a
terse shell task. The commands themselves are left out. data/bash/all.nl holds the whole corpus,
one description a line, before the authors' train/dev/test split (made by a script, not stored).
Descriptions that appear more than once (for different commands) are taken once, ignoring case.
"""

from heldout_prompts import drop_heldout
from registry import Prompts, chat_row, github, sample

REPO = "TellinaTool/nl2bash"
COMMIT = "466c5fe873ab08c7cc0112ea1521cc6ad9c20992"
PATH = "data/bash/all.nl"
SOURCE = {
    "name": "nl2bash",
    "package": f"github:{REPO}@{COMMIT}",
    "licence": "MIT (data/bash/LICENSE, 'NL2Bash dataset'); the repository's code is GPL-3.0 and none of it is used",
    "url": f"https://github.com/{REPO}",
    "label_rule": "Every description states what one Linux shell command line must do (find, copy, "
    "chmod, tar, grep, ...): a shell task -> code. Prompt = the description alone.",
}
CAP = 250


def candidates():
    """Every usable (ref, label, prompt) item, before the held-out filter and sampling."""
    items, prompts = [], Prompts(english_only=True, ignore_case=True)
    for number, line in enumerate(github(REPO, COMMIT, PATH).decode("utf-8").split("\n"), 1):
        prompt = prompts.take(line)
        if prompt is None:
            continue
        items.append((f"{REPO}@{COMMIT[:12]}:{PATH}#line={number}", "code", prompt))
    return items


def rows():
    items, _ = drop_heldout(candidates())
    return [chat_row(SOURCE["name"], label, ref, prompt) for ref, label, prompt in sample(items, {"code": CAP})]
