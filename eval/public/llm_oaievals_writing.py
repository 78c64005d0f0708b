"""OpenAI Evals registry, writing evals on longer prose (see llm_oaievals_code.py for the format).

abstract2title asks for a title for a scientific abstract; consensus_summary asks for a short
answer synthesised from a list of research claims: summarising / rewriting prose.
"""

from llm_oaievals_code import VERSION, collect

SOURCE = {
    "name": "oaievals-writing",
    "package": f"pypi:evals=={VERSION}",
    "licence": "MIT (openai/evals LICENSE.md; none of the evals used is in its list of differently licensed datasets)",
    "url": "https://github.com/openai/evals",
    "label_rule": "Evals that summarise or rewrite prose -> chat: abstract2title, consensus_summary. "
    "All other evals left out.",
}
FILES = ["abstract2title/samples.jsonl", "consensus_summary/samples.jsonl"]


def rows():
    return [dict(r, source=SOURCE["name"]) for r in collect(FILES, 100, 200, "chat")]
