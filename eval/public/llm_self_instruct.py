"""Self-Instruct user-oriented instructions (yizhongw/self-instruct on GitHub).

human_eval/user_oriented_instructions.jsonl holds 252 instructions the Self-Instruct authors
wrote for evaluation, each motivated by an app a user might be in (motivation_app: Grammarly,
Gmail, StackOverflow, Leetcode, Netflix, ...), each with one instance. The prompt is the
instruction, followed by the instance input after a blank line when there is one.
"""

from registry import Prompts, chat_row, github, json_lines, sample

REPO = "yizhongw/self-instruct"
COMMIT = "0b26ccaa415992100fa32df62d41b994cf928e23"
PATH = "human_eval/user_oriented_instructions.jsonl"
SOURCE = {
    "name": "self-instruct-user",
    "package": f"github:{REPO}@{COMMIT}",
    "licence": "Apache-2.0 (yizhongw/self-instruct)",
    "url": f"https://github.com/{REPO}",
    "label_rule": "By motivation_app: programming sites StackOverflow, Leetcode, GeeksforGeeks, Github, "
    "w3schools -> code; writing and support apps Grammarly, Gmail, Blogger, Google Docs, MS Word, "
    "you.com (YouWrite), Wysa -> chat; every other app (search, shopping, media, spreadsheets, "
    "social media, ...) -> ambiguous, never scored.",
}
CODE_APPS = {"StackOverflow", "Leetcode", "GeeksforGeeks", "Github", "w3schools"}
CHAT_APPS = {"Grammarly", "Gmail", "Blogger", "Google Docs", "MS Word", "you.com (YouWrite)", "Wysa"}
CAP = 250


def rows():
    items, prompts = [], Prompts()
    for _, q in json_lines(github(REPO, COMMIT, PATH)):
        app = q["motivation_app"]
        label = "code" if app in CODE_APPS else "chat" if app in CHAT_APPS else "?"
        (instance,) = q["instances"]
        parts = [str(q["instruction"] or "").strip(), str(instance.get("input") or "").strip()]
        prompt = prompts.take("\n\n".join(p for p in parts if p)) if parts[0] else None
        if prompt is None:
            continue
        items.append((f"{REPO}@{COMMIT[:12]}:{PATH}#id={q['id']}", label, prompt))
    caps = {"code": CAP, "chat": CAP, "?": CAP}
    return [chat_row(SOURCE["name"], label, ref, prompt) for ref, label, prompt in sample(items, caps)]
