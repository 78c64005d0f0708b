"""ChatterBot corpus (English): short user utterances to a chat bot, grouped by the corpus's own
category files (greetings, conversations, humor, trivia, ...).

Each conversation in a category file is a list of alternating statements; the first statement is
what the user says to the bot, and that is the prompt. Only the English directory is used.
"""

import yaml

from registry import Prompts, chat_row, members, pypi, sort_key

SOURCE = {
    "name": "chatterbot-corpus",
    "package": "pypi:chatterbot-corpus==1.2.0",
    "licence": "BSD-3-Clause (package metadata: BSD)",
    "url": "https://github.com/gunthercox/chatterbot-corpus",
    "label_rule": "English category files only. Small talk to the bot (greetings, conversations, botprofile, "
    "humor, emotion, psychology, gossip, food, health, money, movies, ai) and short factual "
    "questions (trivia, history, science, computers, politics, literature, sports) -> fast; "
    "the first statement of each conversation is the prompt. Other languages left out.",
}
PREFIX = "chatterbot_corpus/data/english/"
FAST = {
    "greetings",
    "conversations",
    "botprofile",
    "humor",
    "emotion",
    "psychology",
    "gossip",
    "food",
    "health",
    "money",
    "movies",
    "ai",
    "trivia",
    "history",
    "science",
    "computers",
    "politics",
    "literature",
    "sports",
}
CAP = 250


_key = sort_key


def rows():
    wheel = pypi("chatterbot-corpus", "1.2.0")
    items, prompts = [], Prompts(ignore_case=True)
    for name, data in sorted(members(wheel)):
        if not (name.startswith(PREFIX) and name.endswith(".yml")):
            continue
        category = name[len(PREFIX) : -len(".yml")]
        label = "fast" if category in FAST else "?"
        doc = yaml.safe_load(data.decode("utf-8")) or {}
        for i, conv in enumerate(doc.get("conversations") or []):
            if not conv:
                continue
            prompt = prompts.take(str(conv[0]))  # str() first: a statement YAML reads as False or 0 stays a prompt
            if prompt is None:
                continue
            items.append((f"{category}#{i}", prompt, label, name))
    items.sort(key=lambda it: _key(it[0]))
    out = []
    for item_id, prompt, label, name in items[:CAP]:
        out.append(
            chat_row(
                SOURCE["name"],
                label,
                f"chatterbot_corpus-1.2.0-py2.py3-none-any.whl:{name}#{item_id.split('#')[1]}",
                prompt,
            )
        )
    return out
