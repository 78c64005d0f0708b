"""Reddit Title, one of the stress-detection datasets of SenticNet/stress-detection on GitHub (Rastogi,
Liu and Cambria, "Stress Detection from Social Media Articles", WCCI 2022): titles of Reddit posts
from stress-related and unrelated subreddits, each labelled stress positive (1) or negative (0).

The prompt is one stress-positive title, the opening a person gives when asking for help ("Please i
need a break so badly", "Stress Being Expressed Physically, How to Cope?", "Desperately need someone
to talk to please"). Stress-negative titles come from unrelated subreddits (good news, pictures,
milestones) and are statements to nobody, not prompts: left out, as are titles under four words
("School stress"). Reddit_Title.xlsx is read with the same standard-library reader as SAD.
"""

from heldout_prompts import drop_heldout
from llm_sad_stressors import sheet_records
from registry import Prompts, chat_row, github, sample

REPO = "SenticNet/stress-detection"
COMMIT = "d984dcdbb0a10c335901d8341f7d3e55256ea9cd"
PATH = "Reddit_Title.xlsx"
SOURCE = {
    "name": "reddit-stress-titles",
    "package": f"github:{REPO}@{COMMIT}",
    "licence": "Apache-2.0 (SenticNet/stress-detection LICENSE); the titles are Reddit posts",
    "url": f"https://github.com/{REPO}",
    "label_rule": "Titles labelled stress positive (label 1: posts from stress-related subreddits, "
    "kept by the authors' automatic annotation): a person asking for help or support -> chat. "
    "Stress-negative titles and titles under four words left out.",
}
MIN_WORDS = 4
CAP = 250


def candidates():
    """Every usable (ref, label, prompt) item, before the held-out filter and sampling."""
    items, prompts = [], Prompts(english_only=True, ignore_case=True)
    for row, record in enumerate(sheet_records(github(REPO, COMMIT, PATH)), 2):
        if record.get("label") != "1" or len(str(record.get("title") or "").split()) < MIN_WORDS:
            continue
        prompt = prompts.take(record["title"])
        if prompt is not None:
            items.append((f"{REPO}@{COMMIT[:12]}:{PATH}#row={row}", "chat", prompt))
    return items


def rows():
    items, _ = drop_heldout(candidates())
    return [chat_row(SOURCE["name"], label, ref, prompt) for ref, label, prompt in sample(items, {"chat": CAP})]
