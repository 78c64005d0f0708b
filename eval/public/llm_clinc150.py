"""CLINC150 (clinc/oos-eval on GitHub): crowd-written queries to a task assistant, by intent.

data/data_full.json holds 23,700 queries in 150 intents (plus out-of-scope ones) that crowd
workers wrote for a voice or text assistant (Larson et al., 2019); data/domains.json groups the
intents into 10 domains. Only the intents that are also ordinary requests to a chat model are used:
the small_talk domain ("how are you doing", "tell me a dog joke", "who made you") and five
look-up intents ("define antebellum", "how do you spell aaron"). Account, device and booking
commands (banking, home, auto, travel bookings, ...) are left out: they are not LLM prompts.
Held out: a test set, never trained on.
"""

import json

from registry import Prompts, chat_row, github, sample

REPO = "clinc/oos-eval"
COMMIT = "828f8093932c8fe6ca7936c3d2e52903b1c523de"
PATH = "data/data_full.json"
DOMAINS = "data/domains.json"
SOURCE = {
    # Added 2026-12-07 as an LLM test set: never trained on, never used to choose a signal.
    "split": "heldout",
    "name": "clinc150",
    "package": f"github:{REPO}@{COMMIT}:{PATH} (+ {DOMAINS})",
    "licence": "CC BY 3.0 (clinc/oos-eval LICENSE)",
    "url": f"https://github.com/{REPO}",
    "label_rule": "Every intent of the small_talk domain (greeting, goodbye, thank_you, tell_joke, fun_fact, "
    "who_made_you, are_you_a_bot, how_old_are_you, meaning_of_life, ...) and the short look-ups definition, "
    "spelling, translate, measurement_conversion and timezone -> fast; calculator (arithmetic) -> ambiguous, "
    "never scored; all other intents and the out-of-scope queries are left out.",
}
LOOKUPS = {"definition", "spelling", "translate", "measurement_conversion", "timezone"}
CAP = 150
AMBIGUOUS_CAP = 50


def rows():
    domains = json.loads(github(REPO, COMMIT, DOMAINS).decode("utf-8"))
    fast = set(domains["small_talk"]) | LOOKUPS
    items, prompts = [], Prompts()
    for split, queries in sorted(json.loads(github(REPO, COMMIT, PATH).decode("utf-8")).items()):
        for n, (query, intent) in enumerate(queries):
            label = "fast" if intent in fast else "?" if intent == "calculator" else None
            prompt = None if label is None else prompts.take(query)
            if prompt is None:
                continue
            items.append((f"{REPO}@{COMMIT[:12]}:{PATH}#{split}[{n}]:{intent}", label, prompt))
    caps = {"fast": CAP, "?": AMBIGUOUS_CAP}
    return [chat_row(SOURCE["name"], label, ref, prompt) for ref, label, prompt in sample(items, caps)]
