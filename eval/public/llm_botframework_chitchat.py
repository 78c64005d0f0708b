"""Bot Framework chit-chat (microsoft/botframework-solutions on GitHub): small talk to a bot.

The Virtual Assistant sample ships QnA Maker's "Professional" chit-chat knowledge base as
Deployment/Resources/QnA/en-us/Chitchat.qna: 90 question groups ("## ? Are you old?", "## ? This
is so boring", ...), each with the many ways users phrase it ("Can you get tired?", "Ur so
boring"), about 9,800 in all. Every phrasing is a prompt; to keep breadth, at most 2 are taken
from a group (sorted by the sha256 of their ref like every sample). The bot's answers are left
out. Held out: a test set, never trained on.
"""

from registry import Prompts, chat_row, github, sort_key

REPO = "microsoft/botframework-solutions"
COMMIT = "08ad18f11250dc2f301dd33a27672184ea9624c4"
PATH = "samples/csharp/assistants/virtual-assistant/VirtualAssistantSample/Deployment/Resources/QnA/en-us/Chitchat.qna"
SOURCE = {
    # Added 2026-12-07 as an LLM test set: never trained on, never used to choose a signal.
    "split": "heldout",
    "name": "botframework-chitchat",
    "package": f"github:{REPO}@{COMMIT}",
    "licence": "MIT (microsoft/botframework-solutions LICENSE)",
    "url": f"https://github.com/{REPO}",
    "label_rule": "Every question of the chit-chat knowledge base (source qna_chitchat_Professional, "
    "filter editorial = chitchat) is small talk with the bot -> fast.",
}
CAP = 150
PER_GROUP = 2


def phrasings(text):
    """(group number, line number, phrasing) for each question and alternative phrasing: the
    '## ? ' line of a group and its '- ' lines, up to the group's **Filters:** line."""
    out, group, in_questions = [], 0, False
    for n, line in enumerate(text.split("\n"), 1):
        if line.startswith("## ? "):
            group, in_questions = group + 1, True
            out.append((group, n, line[len("## ? ") :]))
        elif line.startswith("**Filters:**"):
            in_questions = False
        elif in_questions and line.startswith("- "):
            out.append((group, n, line[2:]))
    return out


def rows():
    items, prompts = [], Prompts(english_only=True, ignore_case=True)
    for group, n, phrasing in phrasings(github(REPO, COMMIT, PATH).decode("utf-8")):
        prompt = prompts.take(phrasing)
        if prompt is None:
            continue
        items.append((f"{REPO}@{COMMIT[:12]}:{PATH}#line={n}", group, prompt))
    out, per_group = [], {}
    for ref, group, prompt in sorted(items, key=lambda it: sort_key(it[0])):
        if len(out) >= CAP or per_group.get(group, 0) >= PER_GROUP:
            continue
        per_group[group] = per_group.get(group, 0) + 1
        out.append(chat_row(SOURCE["name"], "fast", ref, prompt))
    return out
