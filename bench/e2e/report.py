#!/usr/bin/env python3
"""Turns a loadbench JSON (bench/results/e2e-<mode>.json) into a Markdown report with ratios to
the baseline of the same run, and a PNG chart of the raw numbers (when matplotlib is present).

Usage: report.py bench/results/e2e-quick.json [--md OUT.md] [--png OUT.png]
"""

import argparse
import json
import os
import sys


def overhead_table(r):
    base = r["overhead"]["baseline"]
    base_sat = base["saturation"]["achieved_rps"] or 1
    by_rate = {x["rate"]: x for x in base["rates"]}
    lines = [
        "| scenario | saturation req/s | vs baseline | rate req/s | p50 ms | p99 ms | p99.9 ms | added p99 ms "
        "| success | misrouted |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name in ("baseline", "rules", "cache-hit", "embedding"):
        s = r["overhead"][name]
        sat = s["saturation"]["achieved_rps"]
        first = True
        for run in s["rates"]:
            b = by_rate.get(run["rate"])
            added = "-" if not b or name == "baseline" else f"{run['p99_ms'] - b['p99_ms']:+.2f}"
            lines.append(
                f"| {name if first else ''} | {sat if first else ''} | "
                f"{(f'{sat / base_sat:.0%}' if first else '')} | {run['rate']} | {run['p50_ms']} | "
                f"{run['p99_ms']} | {run['p999_ms']} | {added} | {run['success']:.2%} | {run['misrouted']} |"
            )
            first = False
    return "\n".join(lines)


def cpu_table(r):
    """Microseconds of CPU per request at saturation, by process: where the overhead goes."""
    o = r["overhead"]
    names = ("baseline", "rules", "cache-hit", "embedding")
    if not all("cpu_us_per_request" in o[n]["saturation"] for n in names):
        return "(not recorded in this run)"
    groups = [
        ("Envoy", lambda k: k.startswith("envoy-")),
        ("ext-proc-service", lambda k: k == "ext-proc-service"),
        ("workers", lambda k: k.startswith("worker-")),
        ("Vegeta", lambda k: k == "vegeta"),
        ("xds-server", lambda k: k == "xds-server"),
    ]
    lines = [
        "| scenario | " + " | ".join(g for g, _ in groups) + " | total | vs baseline total |",
        "|---|" + "---|" * (len(groups) + 2),
    ]
    base_total = sum(o["baseline"]["saturation"]["cpu_us_per_request"].values()) or 1
    for n in names:
        split = o[n]["saturation"]["cpu_us_per_request"]
        cells = [sum(v for k, v in split.items() if match(k)) for _, match in groups]
        total = sum(split.values())
        lines.append(
            f"| {n} | " + " | ".join(f"{c:.1f}" for c in cells) + f" | {total:.1f} | {total / base_total:.2f}x |"
        )
    return "\n".join(lines)


def hol_table(r):
    h = r["head_of_line"]
    rr, sl = h["round-robin"], h["semlb"]
    lines = [
        "| requests | round-robin p50 / p99 ms | semlb p50 / p99 ms | p99 ratio (rr / semlb) | req/s rr / semlb |",
        "|---|---|---|---|---|",
    ]
    for kind in ("fast", "general", "heavy", "all"):
        a, b = rr[kind], sl[kind]
        ratio = a["p99_ms"] / b["p99_ms"] if b["p99_ms"] else float("inf")
        lines.append(
            f"| {kind} | {a['p50_ms']} / {a['p99_ms']} | {b['p50_ms']} / {b['p99_ms']} | {ratio:.1f}x | "
            f"{a['achieved_rps']} / {b['achieved_rps']} |"
        )
    return "\n".join(lines)


def deceptive_table(r):
    d = r.get("deceptive")
    if not d:
        return "(not recorded in this run)"
    sem, mea = d["semantic"], d["measured"]
    lines = [
        "| requests | reads as (before any cost is known) | semantic only p50 / p99 ms | with measured p50 / p99 ms "
        "| p99 ratio | in its pool after learning (semantic / measured) | req/s semantic / measured |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind, a in sem["kinds"].items():
        b = mea["kinds"][kind]
        ratio = a["p99_ms"] / b["p99_ms"] if b["p99_ms"] else float("inf")
        placed = (
            "-"
            if kind == "all"
            else f"{1 - a['misrouted'] / max(1, a['requests'] - a['errors']):.0%} / "
            f"{1 - b['misrouted'] / max(1, b['requests'] - b['errors']):.0%}"
        )
        lines.append(
            f"| {kind} | {sem['first_pool'].get(kind, '-')} | {a['p50_ms']} / {a['p99_ms']} | {b['p50_ms']} / "
            f"{b['p99_ms']} | {ratio:.1f}x | {placed} | {a['achieved_rps']} / {b['achieved_rps']} |"
        )
    return "\n".join(lines)


def measured_keys(r):
    keys = (r.get("deceptive") or {}).get("measured", {}).get("cost_keys", [])
    lines = ["| cost key | requests | p50 ms | first pool | verdict | moved |", "|---|---|---|---|---|---|"]
    for k in keys:
        lines.append(
            f"| `{k['key']}` | {k['count']} | {k['p50_ms']} | {k['firstPool']} | {k['verdict'] or '-'} | {k['moved']} |"
        )
    return "\n".join(lines)


def overload_table(r):
    o = r.get("overload")
    if not o:
        return "(not recorded in this run)"
    lines = [
        "| load | req/s | errors | semlb p50 / p99 ms | baseline p99 ms | added p99 ms | message timeouts "
        "| failed open | model calls shed (over budget / queue full / expired) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in o["rows"]:
        a, sh = row["semlb"], row["shed"]
        lines.append(
            f"| {row['multiple']}x | {row['rate']} | {a['errors']} | {a['p50_ms']} / {a['p99_ms']} | "
            f"{row['baseline']['p99_ms']} | {row['added_p99_ms']:+.1f} | {row['message_timeouts']:.0f} | "
            f"{row['failed_open']:.0f} | {sh.get('over-budget', 0):.0f} / {sh.get('queue-full', 0):.0f} / "
            f"{sh.get('expired', 0):.0f} |"
        )
    return "\n".join(lines)


def measured_headline(r):
    rows = []
    d, f, m = r.get("deceptive"), r.get("feedback"), r.get("cost_keys_memory")
    if d:
        a, b = d["semantic"]["kinds"]["fast"], d["measured"]["kinds"]["fast"]
        ratio = a["p99_ms"] / b["p99_ms"] if b["p99_ms"] else float("inf")
        rows.append(
            f"| deceptive workload: fast-path p99, semantic only / with measured | {a['p99_ms']} ms / "
            f"{b['p99_ms']} ms ({ratio:.1f}x) |"
        )
        rows.append(
            "| deceptive workload: total req/s, with measured vs semantic only | "
            f"{d['measured']['kinds']['all']['achieved_rps'] / (d['semantic']['kinds']['all']['achieved_rps'] or 1):.0%} |"
        )
        rows.append(
            f"| deceptive workload: misroutes of the rule-decided shape (semantic / measured) | "
            f"{d['semantic']['kinds']['rule-cheap']['misrouted']} / {d['measured']['kinds']['rule-cheap']['misrouted']} |"
        )
    o = r.get("overload")
    if o and o["rows"]:
        top = o["rows"][-1]
        rows.append(
            f"| overload {top['multiple']}x embedding saturation ({top['rate']} req/s): errors, added p99 | "
            f"{top['semlb']['errors']}, {top['added_p99_ms']:+.1f} ms |"
        )
    if f:
        rows.append(
            f"| cost feedback on vs off, rules-path saturation (ABBA) | {f['ratio']:.1%} "
            f"({f['with_feedback_rps']} / {f['without_feedback_rps']} req/s) |"
        )
    if m:
        t = m["cost_totals"]
        rows.append(
            f"| ext-proc-service peak RSS before / after {m['shapes_sent']} distinct shapes | "
            f"{m['rss_before_mb']:.0f} MB / {m['rss_after_mb']:.0f} MB ({t['keys']} keys kept of max {t['maxKeys']}, "
            f"{t['evicted']} evicted) |"
        )
    return rows


ENVOY_ROUTE_ROWS = {
    "bodiless_header_rule": "bodiless request a header rule decides (`GET /healthz`)",
    "body_rule": "body a JSON rule decides (`POST /rpc`)",
    "mixed_workload": "mixed workload (`scripts/workload.jsonl`)",
}


def envoy_routes_table(r):
    """Saturation as a share of the Envoy-only baseline: ext_proc for every request, native routes with
    the shipped rule order, and with header rules first; the share of requests without ext_proc."""
    e = r["envoy_routes"]
    lines = [
        "| request | ext_proc for every request | native routes (shipped order) | header rules first "
        "| without ext_proc (shipped / first) | baseline req/s |",
        "|---|---|---|---|---|---|",
    ]
    for row, label in ENVOY_ROUTE_ROWS.items():
        a, b = e["ext_proc_only"][row], e["envoy_routes"][row]
        c = e.get("native_first", {}).get(row)
        first = f"{c['ratio']:.0%}" if c else "-"
        share = f"{b.get('without_ext_proc') or 0:.0%} / {(c or {}).get('without_ext_proc') or 0:.0%}"
        lines.append(
            f"| {label} | {a['ratio']:.0%} | {b['ratio']:.0%} | {first} | {share} | {b['baseline']['achieved_rps']} |"
        )
    return "\n".join(lines)


def markdown(r):
    m = r["machine"]
    headline = ["| headline | measured |", "|---|---|"]
    if "overhead" in r:
        o = r["overhead"]
        base_sat = o["baseline"]["saturation"]["achieved_rps"] or 1
        headline += [
            f"| rules path, saturation vs Envoy-only baseline | {o['rules']['saturation']['achieved_rps'] / base_sat:.0%} |",
            f"| cache-hit path, saturation vs baseline | {o['cache-hit']['saturation']['achieved_rps'] / base_sat:.0%} |",
            f"| embedding path (unique bodies), saturation | {o['embedding']['saturation']['achieved_rps']} req/s |",
            f"| ext-proc-service peak RSS | {o.get('ext_proc_rss_mb') or 0:.0f} MB |",
        ]
    if "head_of_line" in r:
        h = r["head_of_line"]
        headline.append(
            f"| fast-path p99, round-robin / semlb | {h['round-robin']['fast']['p99_ms']} ms / {h['semlb']['fast']['p99_ms']} ms |"
        )
    headline += measured_headline(r)
    if "envoy_routes" in r:
        n = r["envoy_routes"]["envoy_routes"]
        headline.append(
            "| native routes: bodiless header rule / mixed workload, saturation vs baseline | "
            f"{n['bodiless_header_rule']['ratio']:.0%} / {n['mixed_workload']['ratio']:.0%} |"
        )
    out = [
        f"# End-to-end benchmark ({r['mode']} run, {r['seconds']} s"
        + (f", median of {r['repeats']} runs" if r.get("repeats", 1) > 1 else "")
        + (f"; only {', '.join(r['only'])}" if "only" in r and len(r["only"]) < 6 else "")
        + ")",
        "",
        f"Machine: {m['cores']} cores ({m['cpu']}); {m['split']}. Load generator: Vegeta, open loop "
        "(constant rate), every response checked for the pool that served it. Workers answer at once "
        "in the overhead runs. Reproduce: `scripts/bench.sh"
        + (" --quick" if r["mode"] == "quick" else "")
        + (f" --repeat {r['repeats']}" if r.get("repeats", 1) > 1 else "")
        + "`.",
        "",
        "\n".join(headline),
        "",
    ]
    if "overhead" in r:
        out += [
            "## Overhead against the Envoy-only baseline (same listener, same clusters)",
            "",
            "baseline: Envoy routes on a client-set `x-semantic-pool`, ext_proc off. rules: a body that a rule "
            "matches. cache-hit: one body decided by the embedding tier, then served from the cache. embedding: "
            "every body unique (no cache hits). 'added p99' is against the baseline at the same rate.",
            "",
            overhead_table(r),
            "",
            "Every scenario is warmed up first and the warm-up discarded: its lowest rate, its highest, then "
            "unthrottled (so the JVMs have compiled their hot paths before anything is measured).",
            "",
            "### CPU per request at saturation (microseconds)",
            "",
            "CPU time of each process during the saturation run, divided by the requests it served. The two "
            "cores are the limit, so the saturation ratio is about the inverse of the totals' ratio.",
            "",
            cpu_table(r),
            "",
        ]
    if "head_of_line" in r:
        out += [
            "## Head-of-line blocking",
            "",
            "6 workers, each serving 2 requests at a time; each request's cost comes from its kind (fast 5 ms, "
            "general 50 ms, heavy 400 ms), at 100 + 20 + 12 req/s. round-robin: one pool of all 6 workers. "
            "semlb: fast-path 1 worker, general 1, high-compute 4.",
            "",
            hol_table(r),
            "",
        ]
    if "envoy_routes" in r:
        out += [
            "## Native routes: rules Envoy decides without ext_proc",
            "",
            "One stack, four Envoys: the Envoy-only baseline (client-named pool), semlb with xds-server "
            "without the routing file (every request opens an ext_proc stream), with it (rules that test only "
            "method, path and headers, with no body rule before them, become routes with ext_proc off; "
            "docs/envoy-routes.md), and with those rules moved first (a routing decision, not the shipped "
            "order). Saturated in turn, A B C D D C B A, "
            f"{r['envoy_routes'].get('rounds', 1)} round(s); each figure: semlb's achieved rate over the "
            "baseline's in the same rounds. Load average (1 min) at start and end: "
            f"{r['envoy_routes'].get('load_average_1m', '?')}.",
            "",
            envoy_routes_table(r),
            "",
        ]
    if "overload" in r:
        out += [
            "## Overload: unique bodies beyond the embedding path's saturation",
            "",
            "Every body unique (each needs a model call). The embedding path's saturation is measured first in the "
            f"same stack: {r['overload']['saturation_rps']} req/s, the highest rate (steps of x1.5 from 50/s) at "
            "which admission control shed at most 5% of the model calls (sent unthrottled instead, "
            f"{r['overload']['saturation'].get('achieved_rps', '?')} req/s were served, "
            f"{r['overload']['saturation'].get('model_rps', '?')}/s of them decided by the model). Then 1x, 2x "
            "and 4x of it are sent "
            "through semlb and through the Envoy-only baseline. Admission control sheds a model call that cannot "
            "start within `embedding.maxQueueWaitMs` or finish within the budget; the request then gets the "
            "cheap stages' decision at once.",
            "",
            overload_table(r),
            "",
        ]
    if "deceptive" in r:
        out += [
            "## Deceptive workload: semantic routing only vs with the measured stage",
            "",
            "Shapes that read as cheap one-record GETs but cost 300-400 ms (2 req/s each) among cheap reads "
            "(100 req/s, 5 ms), ordinary writes (20 req/s, 40 ms) and a cheap shape a rule sends to high-compute "
            "(10 req/s, 5 ms). Workers serve 2 requests at a time: fast-path 1 worker, general 1, high-compute 2. "
            "Both runs learn first (every kind at its rate, "
            + str(r["deceptive"]["measured"].get("learning_requests_per_deceptive_shape", "?"))
            + " requests per deceptive shape), then the figures are measured. 'in its pool': the share that "
            "reached the pool the shape belongs to by its cost (the rule's pool for the rule-decided shape).",
            "",
            deceptive_table(r),
            "",
            "What the measured stage held at the end (`/api/costs`):",
            "",
            measured_keys(r),
            "",
        ]
    return "\n".join(out)


def pyplot():
    """matplotlib's pyplot without a display, or None (with a note) when it is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("report: matplotlib not installed; no chart", file=sys.stderr)
        return None
    return plt


def chart(r, png):
    if "overhead" not in r or "head_of_line" not in r:
        return overload_chart(r, png) if "overload" in r and r["overload"].get("ramp") else False
    plt = pyplot()
    if plt is None:
        return False
    fig, (a, b) = plt.subplots(1, 2, figsize=(12, 4.5))
    for name in ("baseline", "rules", "cache-hit", "embedding"):
        runs = r["overhead"][name]["rates"]
        a.plot([x["rate"] for x in runs], [x["p99_ms"] for x in runs], marker="o", label=name)
    a.set_xlabel("offered load (req/s)")
    a.set_ylabel("p99 latency (ms)")
    a.set_yscale("log")
    a.set_title("Overhead: p99 by scenario")
    a.legend()
    kinds = ["fast", "general", "heavy", "all"]
    h = r["head_of_line"]
    x = range(len(kinds))
    b.bar([i - 0.2 for i in x], [h["round-robin"][k]["p99_ms"] for k in kinds], 0.4, label="round-robin")
    b.bar([i + 0.2 for i in x], [h["semlb"][k]["p99_ms"] for k in kinds], 0.4, label="semlb")
    b.set_xticks(list(x), kinds)
    b.set_ylabel("p99 latency (ms)")
    b.set_yscale("log")
    b.set_title("Head-of-line: p99 by request kind")
    b.legend()
    fig.tight_layout()
    fig.savefig(png, dpi=110)
    return True


def overload_chart(r, png):
    """The overload curve: the ramp that finds the embedding path's saturation, then p99 at 1x-4x."""
    plt = pyplot()
    if plt is None:
        return False
    o = r["overload"]
    fig, (a, b) = plt.subplots(1, 2, figsize=(12, 4.5))
    ramp = o["ramp"]
    a.plot([x["rate"] for x in ramp], [x["p99_ms"] for x in ramp], marker="o", label="p99 (ms)")
    a.set_xlabel("unique bodies (req/s)")
    a.set_ylabel("p99 latency (ms)")
    a2 = a.twinx()
    a2.plot([x["rate"] for x in ramp], [100 * x["shed_share"] for x in ramp], "r--", marker="x", label="shed (%)")
    a2.set_ylabel("model calls shed (%)")
    a.axvline(o["saturation_rps"], color="grey", linestyle=":")
    a.set_title(f"Ramp: the model path saturates at {o['saturation_rps']} req/s (<= 5% shed)")
    rows = o["rows"]
    x = range(len(rows))
    b.bar([i - 0.2 for i in x], [row["baseline"]["p99_ms"] for row in rows], 0.4, label="Envoy only")
    b.bar([i + 0.2 for i in x], [row["semlb"]["p99_ms"] for row in rows], 0.4, label="semlb")
    for i, row in enumerate(rows):
        b.annotate(
            f"{row['semlb']['errors']} errors, {row['message_timeouts']:.0f} timeouts",
            (i + 0.2, row["semlb"]["p99_ms"]),
            ha="center",
            va="bottom",
            fontsize=8,
        )
    worst_baseline = max(row["baseline"]["p99_ms"] for row in rows)
    b.axhline(worst_baseline + 25, color="grey", linestyle=":", label="target: Envoy only + 25 ms")
    b.set_xticks(list(x), [f"{row['multiple']}x ({row['rate']}/s)" for row in rows])
    b.set_ylabel("p99 latency (ms)")
    b.set_title("Overload: p99 at 1x, 2x, 4x the saturation")
    b.legend()
    fig.tight_layout()
    fig.savefig(png, dpi=110)
    return True


def main():
    p = argparse.ArgumentParser()
    p.add_argument("json")
    p.add_argument("--md")
    p.add_argument("--png")
    args = p.parse_args()
    r = json.load(open(args.json))
    stem = os.path.splitext(args.json)[0]
    md = args.md or stem + ".md"
    open(md, "w").write(markdown(r))
    print(open(md).read())
    if chart(r, args.png or stem + ".png"):
        print(f"report: chart {args.png or stem + '.png'}")


if __name__ == "__main__":
    main()
