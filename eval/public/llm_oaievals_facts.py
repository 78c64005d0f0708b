"""OpenAI Evals registry, short factual-question evals (see llm_oaievals_code.py for the format).

born_first asks which of two US presidents was born first, south-african-bands asks for a band's
lead vocalist, largest_country asks which of a list of countries is the largest: short factual
look-ups with a one-word answer.
"""

from llm_oaievals_code import VERSION, collect

SOURCE = {
    "name": "oaievals-facts",
    "package": f"pypi:evals=={VERSION}",
    "licence": "MIT (openai/evals LICENSE.md; none of the evals used is in its list of differently licensed datasets)",
    "url": "https://github.com/openai/evals",
    "label_rule": "Short factual-question evals -> fast: born_first, south-african-bands, largest_country "
    "(system instruction + short user turn, one-word answers). All other evals left out.",
}
FILES = [
    "born_first/born_first.jsonl",
    "south-african-bands/south-african-bands.jsonl",
    "largest_country/samples.jsonl",
]


def rows():
    return [dict(r, source=SOURCE["name"]) for r in collect(FILES, 60, 150, "fast")]
