"""The normalised prompts of the committed held-out LLM test set (llm-heldout.jsonl).

A training source calls drop_heldout() on its candidate prompts so that none of them is also a
held-out prompt: build.py would otherwise drop that prompt from the test set, changing it. The
comparison uses build.normalised_prompt (lower case, punctuation removed, white space collapsed).
"""

import json
import pathlib

from build import normalised_prompt
from registry import chat_row

HELDOUT = pathlib.Path(__file__).resolve().parent / "llm-heldout.jsonl"


def _heldout_texts():
    if not HELDOUT.exists():
        return set()
    lines = HELDOUT.read_text(encoding="utf-8").splitlines()
    return {normalised_prompt(json.loads(line)) for line in lines if line.strip()}


def drop_heldout(items):
    """The (ref, label, prompt) items whose prompt is not a held-out prompt, and how many were dropped."""
    heldout = _heldout_texts()
    kept = [it for it in items if normalised_prompt(chat_row("", "", "", it[2])) not in heldout]
    return kept, len(items) - len(kept)
