"""Builds the public evaluation corpus: eval/public/api.jsonl and eval/public/llm.jsonl.

Each source is one module here named api_<name>.py or llm_<name>.py. A module defines
SOURCE (a dict: name, package, version, licence, url, label_rule) and rows(), which returns
dicts with the keys source, method, path, contentType, body, expected and ref (where in the
pinned package the item comes from). Items a source's own categories leave ambiguous are
returned with expected "?" and written to *-ambiguous.jsonl instead, never scored. A source
whose SOURCE has "split": "heldout" is written to <kind>-heldout.jsonl instead of <kind>.jsonl:
a test set the shipped heads are never trained on and signals are never chosen by. A held-out row
equal to a row of <kind>.jsonl or <kind>-ambiguous.jsonl, or to an earlier held-out row, is
dropped, so the test set shares no item with what is trained on: prompts are equal when their text
is (normalised: lower case, punctuation stripped, white space collapsed), API requests when their
method, path and body are.

    python3 eval/public/build.py            # rebuild both files from the pinned packages
    python3 eval/public/build.py --check    # rebuild in memory, fail if the files differ
"""

import importlib
import json
import pathlib
import sys
import unicodedata

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import registry  # noqa: E402

KEYS = {"source", "method", "path", "contentType", "body", "expected", "ref"}


SPLITS = ("", "heldout")


def normalised_prompt(row):
    """The text of a chat request's messages, lower case, without punctuation, white space collapsed."""
    messages = json.loads(row["body"])["messages"]
    text = "\n".join(m["content"] for m in messages if isinstance(m.get("content"), str)).lower()
    text = "".join(" " if unicodedata.category(c).startswith("P") else c for c in text)
    return " ".join(text.split())


SAME = {"api": registry.request_key, "llm": normalised_prompt}  # when two rows are the same item


def drop_overlap(trained, heldout, key):
    """The held-out rows whose key is neither a trained row's nor an earlier held-out row's, and how
    many were dropped."""
    seen = {key(r) for r in trained}
    kept = []
    for row in heldout:
        k = key(row)
        if k not in seen:
            seen.add(k)
            kept.append(row)
    return kept, len(heldout) - len(kept)


def build(kind):
    scored, ambiguous, sources = {split: [] for split in SPLITS}, [], []  # ambiguous: (split, row), in module order
    for module_path in sorted(HERE.glob(f"{kind}_*.py")):
        module = importlib.import_module(module_path.stem)
        sources.append(module.SOURCE)
        split = module.SOURCE.get("split", "")
        if split not in SPLITS:
            raise SystemExit(f"{module_path.name}: split {split!r} (expected: one of {list(SPLITS)})")
        for row in module.rows():
            if set(row) - {"note"} != KEYS:
                raise SystemExit(f"{module_path.name}: row keys {sorted(row)} (expected: {sorted(KEYS)})")
            if row["source"] != module.SOURCE["name"]:
                raise SystemExit(f"{module_path.name}: source {row['source']!r} (expected: {module.SOURCE['name']!r})")
            if row["expected"] == "?":
                ambiguous.append((split, row))
            else:
                scored[split].append(row)
    kept, dropped = drop_overlap(
        scored[""] + [r for s, r in ambiguous if s == ""],
        scored["heldout"] + [r for s, r in ambiguous if s],
        SAME[kind],
    )
    if dropped:
        kept_ids = {id(r) for r in kept}
        scored["heldout"] = [r for r in scored["heldout"] if id(r) in kept_ids]
        ambiguous = [(s, r) for s, r in ambiguous if s == "" or id(r) in kept_ids]
    return scored, [r for _, r in ambiguous], sources, dropped


def main():
    check = "--check" in sys.argv
    stale = []
    for kind in ("api", "llm"):
        scored, ambiguous, sources, dropped = build(kind)
        files = [(f"{kind}.jsonl", scored[""]), (f"{kind}-ambiguous.jsonl", ambiguous)]
        if scored["heldout"]:
            files.append((f"{kind}-heldout.jsonl", scored["heldout"]))
        for name, rows in files:
            text = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)
            target = HERE / name
            if check:
                if not target.exists() or target.read_text(encoding="utf-8") != text:
                    stale.append(name)
            else:
                target.write_text(text, encoding="utf-8")
        counts = {}
        for r in scored[""] + scored["heldout"]:
            counts.setdefault(r["source"], {}).setdefault(r["expected"], 0)
            counts[r["source"]][r["expected"]] += 1
        print(
            f"{kind}: {len(scored[''])} scored, {len(scored['heldout'])} held out (never trained on), "
            f"{len(ambiguous)} ambiguous, {len(sources)} sources"
            + (
                f"; {dropped} held-out items dropped (already in {kind}.jsonl or {kind}-ambiguous.jsonl, or twice)"
                if dropped
                else ""
            )
        )
        for source, by_label in sorted(counts.items()):
            print(f"  {source:32} {sum(by_label.values()):5}  {dict(sorted(by_label.items()))}")
    if stale:
        raise SystemExit(f"build: stale or missing: {stale} (run python3 eval/public/build.py)")


if __name__ == "__main__":
    main()
