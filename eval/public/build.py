"""Builds the public evaluation corpus: eval/public/api.jsonl and eval/public/llm.jsonl.

Each source is one module here named api_<name>.py or llm_<name>.py. A module defines
SOURCE (a dict: name, package, version, licence, url, label_rule) and rows(), which returns
dicts with the keys source, method, path, contentType, body, expected and ref (where in the
pinned package the item comes from). Items a source's own categories leave ambiguous are
returned with expected "?" and written to *-ambiguous.jsonl instead, never scored. A source
whose SOURCE has "split": "heldout" is written to <kind>-heldout.jsonl instead of <kind>.jsonl:
a test set the shipped heads are never trained on and signals are never chosen by.

    python3 eval/public/build.py            # rebuild both files from the pinned packages
    python3 eval/public/build.py --check    # rebuild in memory, fail if the files differ
"""

import importlib
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import registry  # noqa: E402, F401  (kept as written: not removed by an autofix)

KEYS = {"source", "method", "path", "contentType", "body", "expected", "ref"}


SPLITS = ("", "heldout")


def build(kind):
    scored, ambiguous, sources = {split: [] for split in SPLITS}, [], []
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
            (ambiguous if row["expected"] == "?" else scored[split]).append(row)
    return scored, ambiguous, sources


def main():
    check = "--check" in sys.argv
    stale = []
    for kind in ("api", "llm"):
        scored, ambiguous, sources = build(kind)
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
        )
        for source, by_label in sorted(counts.items()):
            print(f"  {source:32} {sum(by_label.values()):5}  {dict(sorted(by_label.items()))}")
    if stale:
        raise SystemExit(f"build: stale or missing: {stale} (run python3 eval/public/build.py)")


if __name__ == "__main__":
    main()
