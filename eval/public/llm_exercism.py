"""Exercism problem specifications (exercism/problem-specifications on GitHub): exercise statements.

Every exercise of Exercism's shared specifications has a prose statement in
exercises/<slug>/instructions.md (newer exercises, beside an introduction.md that tells the story)
or exercises/<slug>/description.md (older ones): "Convert a phrase to its acronym", "Your task is
to determine what Bob will reply ...". Many never say "code" or "program": the task is implied by
the site they are on. The prompt is that one file as it is; deprecated exercises (a .deprecated
file) are left out. Only the sampled files are read, each pinned in pins.json. Held out.
"""

from registry import Prompts, chat_row, github, github_paths, sort_key

REPO = "exercism/problem-specifications"
COMMIT = "03f83310ed0547b902d211a05d23b3d74661df02"
SOURCE = {
    # Added 2026-12-07 as an LLM test set: never trained on, never used to choose a signal.
    "split": "heldout",
    "name": "exercism",
    "package": f"github:{REPO}@{COMMIT}",
    "licence": "MIT (exercism/problem-specifications LICENSE)",
    "url": f"https://github.com/{REPO}",
    "label_rule": "Every exercise statement (instructions.md, else description.md) is a programming "
    "exercise, solved in code in one of Exercism's language tracks -> code.",
}
CAP = 80


def statements():
    """The path of each live exercise's statement file: instructions.md, else description.md."""
    by_slug = {}
    for path in github_paths(REPO, COMMIT, "exercises"):
        slug, _, name = path[len("exercises/") :].partition("/")
        by_slug.setdefault(slug, set()).add(name)
    out = []
    for slug, names in sorted(by_slug.items()):
        if ".deprecated" in names:
            continue
        for name in ("instructions.md", "description.md"):
            if name in names:
                out.append(f"exercises/{slug}/{name}")
                break
    return out


def rows():
    out, prompts = [], Prompts(english_only=True)
    for path in sorted(statements(), key=lambda p: sort_key(f"{REPO}@{COMMIT[:12]}:{p}")):
        if len(out) >= CAP:
            break
        prompt = prompts.take(github(REPO, COMMIT, path).decode("utf-8"))
        if prompt is None:
            continue
        out.append(chat_row(SOURCE["name"], "code", f"{REPO}@{COMMIT[:12]}:{path}", prompt))
    return out
