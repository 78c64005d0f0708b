"""BYU PCC Chit-Chat Challenge dataset: open-domain human-to-human chit-chat conversations.

The prompt is the opening turn of each conversation (the first speaker's consecutive messages,
joined by newlines): greetings and small-talk openers. Later turns need the whole conversation
as context and are left out.
"""

import json

from registry import Prompts, chat_row, pypi, read, sort_key

SOURCE = {
    "name": "chitchat-dataset",
    "package": "pypi:chitchat-dataset==0.9.0",
    "licence": "MIT (Copyright (c) 2019 Perception, Control and Cognition Lab; LICENSE in the wheel)",
    "url": "https://github.com/BYU-PCCL/chitchat-dataset",
    "label_rule": "The dataset is chit-chat as a whole; the opening turn of each conversation (greeting / "
    "small-talk opener) -> fast. Later turns left out (they depend on the conversation).",
}
MEMBER = "chitchat_dataset/dataset.json"
CAP = 250


_key = sort_key


def rows():
    wheel = pypi("chitchat-dataset", "0.9.0")
    dataset = json.loads(read(wheel, MEMBER).decode("utf-8"))
    items, prompts = [], Prompts(ignore_case=True)
    for convo_id in sorted(dataset):
        turns = dataset[convo_id].get("messages") or []
        if not turns:
            continue
        prompt = prompts.take("\n".join(m.get("text", "").strip() for m in turns[0] if m.get("text", "").strip()))
        if prompt is None:
            continue
        items.append((convo_id, prompt))
    items.sort(key=lambda it: _key(it[0]))
    out = []
    for convo_id, prompt in items[:CAP]:
        out.append(
            chat_row(
                SOURCE["name"],
                "fast",
                f"chitchat_dataset-0.9.0-py3-none-any.whl:{MEMBER}#{convo_id}/messages/0",
                prompt,
            )
        )
    return out
