"""NLP.js English test corpus (axa-group/nlp.js on GitHub): what users say to a chat bot, grouped
into the corpus's own intents.

packages/node-nlp/test/nlp/corpus-en.json is the English corpus NLP.js trains its tests and
examples on: 50 intents with five utterances each, written by the NLP.js authors. smalltalk.* is
small talk with the bot ("how old are you", "are you a chatbot", "will you be my friend?"),
support.* asks about the bot's makers and how to reach them ("who is your developer", "do you have
a website?"), trivia.* holds short questions on a few topics. Each utterance is one prompt.
"""

import json

from registry import Prompts, chat_row, github, sample

REPO = "axa-group/nlp.js"
COMMIT = "62731109b5dc5d9ed727c6e599443fb29eaea798"
PATH = "packages/node-nlp/test/nlp/corpus-en.json"
SOURCE = {
    "name": "nlpjs-smalltalk",
    "package": f"github:{REPO}@{COMMIT}",
    "licence": "MIT (axa-group/nlp.js LICENSE.md)",
    "url": f"https://github.com/{REPO}",
    "label_rule": "Intents smalltalk.* (small talk with the bot) and support.* (questions about the bot's "
    "makers and contacts) -> fast, except smalltalk.angry and smalltalk.lonely (a feeling, which may open a "
    "request for support) -> `?`. trivia.caffeine, trivia.relativity, trivia.iron, trivia.galicia (short "
    "factual questions) -> fast; the programming trivia (compiler, coercion, callback, gc, arrow) and nlp "
    "-> `?` (a concept question or a code question).",
}
FEELINGS = {"smalltalk.angry", "smalltalk.lonely"}
FACTUAL_TRIVIA = {"trivia.caffeine", "trivia.relativity", "trivia.iron", "trivia.galicia"}


def label(intent):
    """The pool of an intent of the corpus, or "?" where the intent leaves it open."""
    if intent in FEELINGS:
        return "?"
    if intent.startswith(("smalltalk.", "support.")) or intent in FACTUAL_TRIVIA:
        return "fast"
    return "?"


def rows():
    corpus = json.loads(github(REPO, COMMIT, PATH).decode("utf-8"))
    items, prompts = [], Prompts(ignore_case=True)
    for entry in corpus["data"]:
        for i, utterance in enumerate(entry.get("utterances") or []):
            prompt = prompts.take(utterance)
            if prompt is None:
                continue
            items.append(
                (f"{REPO}@{COMMIT[:12]}:{PATH}#{entry['intent']}/utterances/{i}", label(entry["intent"]), prompt)
            )
    return [chat_row(SOURCE["name"], lab, ref, prompt) for ref, lab, prompt in sample(items, {})]
