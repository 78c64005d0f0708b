"""OpenAI Evals registry, quick single-answer evals (see llm_oaievals_code.py for the format).

Each eval asks for one short answer (yes/no, one word, one number, one label or one date) about a
short input, and says so in its instruction: which_is_heavier, compare-countries-area and countries
(comparisons and counts), day-of-week-from-date, date-calculator and test_time_zone_conversion
(dates and times), number_reading (numerals), first-letters and test_english_pronunciations
(spelling), nutrition (one figure), food, irony and event_categories (classifying a short text),
sort_numeric (a short list). These are the documented semantics of the `fast` pool of
config/examples/llm-models.yaml: quick facts, conversions, simple arithmetic, yes/no questions,
classifying or extracting from a short text, spelling, dates.
"""

from llm_oaievals_code import VERSION, collect

SOURCE = {
    "name": "oaievals-quick",
    "package": f"pypi:evals=={VERSION}",
    "licence": "MIT (openai/evals LICENSE.md; none of the evals used is in its list of differently licensed datasets)",
    "url": "https://github.com/openai/evals",
    "label_rule": "Evals whose instruction asks for one short answer about a short input -> fast: "
    "which_is_heavier, compare-countries-area, countries, day-of-week-from-date, date-calculator, "
    "test_time_zone_conversion, number_reading, first-letters, test_english_pronunciations, "
    "nutrition, food, irony, event_categories, sort_numeric (at most 20 samples each). "
    "All other evals left out.",
}
FILES = [
    "which_is_heavier/which_is_heavier.jsonl",
    "compare-countries-area/samples.jsonl",
    "countries/samples.jsonl",
    "day-of-week-from-date/samples.jsonl",
    "date-calculator/samples.jsonl",
    "test_time_zone_conversion/samples.v0.jsonl",
    "number_reading/number_reading.jsonl",
    "first-letters/samples.jsonl",
    "test_english_pronunciations/samples.jsonl",
    "nutrition/facts.jsonl",
    "food/samples.jsonl",
    "irony/samples.jsonl",
    "event_categories/samples.jsonl",
    "sort_numeric/samples.jsonl",
]


def rows():
    return [dict(r, source=SOURCE["name"]) for r in collect(FILES, 20, 250, "fast")]
