#!/usr/bin/env python3
"""Turns JMH JSON results into a Markdown table with machine details. Usage: jmh_report.py IN.json OUT.md"""

import datetime
import json
import os
import platform
import subprocess
import sys

raw, md = sys.argv[1], sys.argv[2]
runs = json.load(open(raw))
cpu = next(
    (l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor()
)
java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
lines = [
    f"# Classifier microbenchmarks ({datetime.date.today()})",
    "",
    f"Machine: {os.cpu_count()} cores ({cpu}), {java}. JMH, 1 fork; reproduce with `scripts/bench.sh`.",
    "",
    "| benchmark | params | mode | score | error | unit | p50 | p99 |",
    "|---|---|---|---|---|---|---|---|",
]
for r in runs:
    m = r["primaryMetric"]
    pct = m.get("scorePercentiles", {})
    p50 = pct.get("50.0")
    p99 = pct.get("99.0")
    name = r["benchmark"].rsplit(".", 1)[1]
    params = ", ".join(f"{k}={v}" for k, v in r.get("params", {}).items()) or "-"

    def fmt(x):
        try:
            v = float(x)
        except (TypeError, ValueError):
            return "-"
        return "-" if v != v else f"{v:.3g}"

    lines.append(
        f"| {name} | {params} | {r['mode']} | {m['score']:.4g} | {fmt(m.get('scoreError'))} | {m['scoreUnit']} | "
        f"{fmt(p50) if r['mode'] == 'sample' else '-'} | {fmt(p99) if r['mode'] == 'sample' else '-'} |"
    )
open(md, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
