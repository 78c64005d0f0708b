"""Topical-Chat (alexa/Topical-Chat on GitHub): human-to-human conversations between two crowd
workers who were each given facts about a few topics (sports, films, music, science, ...) and asked
to chat about them.

The prompt is the opening turn of each conversation (the first speaker's consecutive messages,
joined by newlines): a greeting or a casual opener ("Hi, do you watch the NFL?", "Are you a fan of
Star Wars?"). Later turns need the conversation as context and are left out. The training file is
absent from the snapshot that could be had here; the four validation and test files are used.
"""

import json

from registry import Prompts, chat_row, github, sample

REPO = "alexa/Topical-Chat"
COMMIT = "7c939229cbcf6f55f6977b341a5a2f2fe982d53f"
PATHS = (
    "conversations/valid_freq.json",
    "conversations/valid_rare.json",
    "conversations/test_freq.json",
    "conversations/test_rare.json",
)
SOURCE = {
    "name": "topical-chat",
    "package": f"github:{REPO}@{COMMIT}",
    "licence": "CDLA-Sharing-1.0 (alexa/Topical-Chat DATALICENSE); its build.py MIT (SOFTWARELICENSE)",
    "url": f"https://github.com/{REPO}",
    "label_rule": "Every conversation is open-domain chit-chat between two people; its opening turn "
    "(greeting / casual opener, often a question about a topic) -> fast. Later turns left out.",
}
CAP = 250


def rows():
    items, prompts = [], Prompts(english_only=True, ignore_case=True)
    for path in PATHS:
        conversations = json.loads(github(REPO, COMMIT, path).decode("utf-8"))
        for convo_id in sorted(conversations):
            turns = conversations[convo_id].get("content") or []
            if not turns:
                continue
            opener = []
            for turn in turns:
                if turn.get("agent") != turns[0].get("agent"):
                    break
                opener.append(str(turn.get("message") or "").strip())
            prompt = prompts.take("\n".join(m for m in opener if m))
            if prompt is None:
                continue
            items.append((f"{REPO}@{COMMIT[:12]}:{path}#{convo_id}/content/0", "fast", prompt))
    return [chat_row(SOURCE["name"], label, ref, prompt) for ref, label, prompt in sample(items, {"fast": CAP})]
