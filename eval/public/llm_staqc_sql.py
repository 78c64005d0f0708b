"""StaQC (LittleYUYU/StackOverflow-Question-Code-Dataset on GitHub): Stack Overflow "how to do it"
questions paired with code from their accepted answers, mined for Python and SQL.

The prompt is a question title alone, as someone would type it ("Get duplicate users from orders
table", "SQL query, count and group by"): a short code question. Only SQL titles are in the
snapshot that could be had here (the Python title files are too large), so this source is SQL only.
The titles come from the multi-code-answer source data (a pickle of {question id: title}); only
questions that are in StaQC's final collection (final_collection/sql_multi_code_iids.txt) are used.
The pickle is read with an unpickler that refuses every global, so it can only build plain data.
"""

import io
import pickle
import re

from registry import Prompts, chat_row, github, sample

REPO = "LittleYUYU/StackOverflow-Question-Code-Dataset"
COMMIT = "81b74afb40b2c57b34a92ad94a67ade0c305d101"
TITLES = (
    "annotation_tool/data/code_solution_labeled_data/source/sql_how_to_do_it_by_classifier_multiple_qid_to_title.pickle"
)
IIDS = "final_collection/sql_multi_code_iids.txt"
SOURCE = {
    "name": "staqc-sql",
    "package": f"github:{REPO}@{COMMIT}",
    "licence": "CC BY 4.0 (StaQC LICENSE.txt); the titles are Stack Overflow posts (CC BY-SA)",
    "url": f"https://github.com/{REPO}",
    "label_rule": "Every StaQC question was selected (by the authors' classifier) as a 'how to do it' "
    "programming question answered with code -> code. Prompt = the question title.",
}
CAP = 250


class _DataOnly(pickle.Unpickler):
    """Builds only plain values (dicts, ints, strings): any class or function reference is refused."""

    def find_class(self, module, name):
        raise pickle.UnpicklingError(f"{module}.{name}: not plain data")


def rows():
    titles = _DataOnly(io.BytesIO(github(REPO, COMMIT, TITLES)), encoding="latin1").load()
    iids = github(REPO, COMMIT, IIDS).decode("utf-8")
    in_collection = {int(qid) for qid in re.findall(r"^\((\d+), \d+\)", iids, flags=re.M)}
    items, prompts = [], Prompts(english_only=True, ignore_case=True)
    for qid in sorted(in_collection & set(titles)):
        prompt = prompts.take(titles[qid])
        if prompt is None:
            continue
        items.append((f"{REPO}@{COMMIT[:12]}:{TITLES}#qid={qid}", "code", prompt))
    return [chat_row(SOURCE["name"], label, ref, prompt) for ref, label, prompt in sample(items, {"code": CAP})]
