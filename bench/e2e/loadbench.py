#!/usr/bin/env python3
"""End-to-end load benchmark of semlb through the real Envoy, with Vegeta (open loop: a constant
request rate, so queueing shows in the latency instead of lowering the rate).

Overhead: the same listener and clusters, (1) baseline: Envoy routes on a client-set header with
no ext_proc; (2) rules path; (3) cache-hit path; (4) embedding path (unique bodies). Each at fixed
rates, plus throughput at saturation. Head-of-line: request kinds of different cost on workers of
limited concurrency, routed round-robin over all workers vs by semlb. Measured cost (measured.py):
a deceptive workload with the measured stage off and on, the feedback access log's cost at
rules-path saturation, and memory at 100k distinct request shapes. Overload (overload.py):
unique bodies at 1x, 2x and 4x the embedding saturation. LLM usage (llm_usage.py): streamed chat
completions with the usage observer on and off, A B B A. LLM time to first byte (llm_ttfb.py): 100
streamed chat completions held open through Envoy alone and through semlb, A B B A, the time to the
first body byte and SSE data line, and the tokens counted against the usage the clients received.

Usage: loadbench.py [--quick | --smoke] [--repeat N] [--only NAME,...] [--out bench/results]
  --repeat N  run everything N times and report the median of every figure (the 2-core machine
              is noisy: Envoy, the JVMs and Vegeta share it)
"""

import argparse
import base64
import csv
import io
import itertools
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
import stack as st  # noqa: E402

MODES = {
    #          overhead rates              embedding rates     seconds  saturation s  HOL s  warm-up s
    "full": ([250, 500, 1000, 2000, 3000], [50, 100, 150, 200, 300], 20, 10, 40, 10),
    "quick": ([500, 1000, 2000], [50, 100, 200], 8, 6, 20, 6),
    "smoke": ([100], [20], 1, 1, 2, 1),
}

RULE_BODY = '{"action": "HEALTH_CHECK"}'  # rule health-check-actions -> fast-path
CACHE_BODY = '{"applicant": "dana", "task": "score this loan application with the credit risk model"}'


def target(url, method="POST", body=None, headers=None):
    t = {"method": method, "url": url, "header": {k: [v] for k, v in (headers or {}).items()}}
    if body is not None:
        t["body"] = base64.b64encode(body.encode()).decode()
        t["header"].setdefault("Content-Type", ["application/json"])
    return json.dumps(t)


UNIQUE = itertools.count(1)  # shared by every call, so warm-up and measured runs never repeat a body


def letters(n):
    """n as a word of the letters g-z: never read as an id or a number by the request summary."""
    out = ""
    while True:
        n, r = divmod(n, 20)
        out = "ghijklmnopqrstuvwxyz"[r] + out
        if n == 0:
            return out


def unique_targets(url, out):
    """Writes an endless stream of targets with never-repeated bodies and never-repeated request
    summaries (what the model embeds: ids and numbers are dropped from it, so a unique word is
    what makes each one new), so every request costs a model call: no cache or recent-embedding hits."""
    rnd = random.Random()
    words = ["score", "rank", "classify", "forecast", "translate", "summarise", "detect", "optimise"]
    try:
        while True:
            n = next(UNIQUE)
            body = json.dumps(
                {
                    "task": f"{rnd.choice(words)} case {letters(n)} {n} {rnd.getrandbits(40):x}",
                    "items": rnd.randint(100, 90000),
                    "region": f"r{n % 37}",
                }
            )
            out.write((target(url + "/api/v1/work", body=body) + "\n").encode())
    except (BrokenPipeError, ValueError):
        pass


def attack(vegeta, targets, rate, seconds, out_file, lazy_source=None):
    """Runs one Vegeta attack; returns the path of its binary results."""
    cmd = [
        vegeta,
        "attack",
        "-format=json",
        f"-rate={rate}/s" if rate else "-rate=0",
        f"-duration={seconds}s",
        "-timeout=10s",
        f"-output={out_file}",
    ]
    if rate == 0:
        cmd.append("-max-workers=64")
    if lazy_source:
        cmd.append("-lazy")
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE)
        feeder = threading.Thread(target=lazy_source, args=(proc.stdin,), daemon=True)
        feeder.start()
        proc.wait()
        try:
            proc.stdin.close()
        except OSError:
            pass
    else:
        subprocess.run(cmd, input=("\n".join(targets) + "\n").encode(), check=True)
    return out_file


def stats(vegeta, result_files, seconds, expected_pool=None):
    """Latency percentiles (ms), success ratio, achieved rate and misroutes from raw results."""
    raw = subprocess.run([vegeta, "encode", "--to=csv"] + list(result_files), capture_output=True, check=True).stdout
    lat, ok, total, misrouted = [], 0, 0, 0
    for row in csv.reader(io.StringIO(raw.decode())):
        total += 1
        code, latency_ns, body = int(row[1]), int(row[2]), row[6]
        lat.append(latency_ns / 1e6)
        if 200 <= code < 300:
            ok += 1
            if expected_pool:
                try:
                    if json.loads(base64.b64decode(body)).get("pool") != expected_pool:
                        misrouted += 1
                except ValueError:
                    misrouted += 1
    lat.sort()
    pct = lambda q: round(lat[min(len(lat) - 1, int(q * len(lat)))], 3) if lat else None
    return {
        "requests": total,
        "errors": total - ok,
        "success": round(ok / total, 4) if total else 0.0,
        "achieved_rps": round(ok / seconds, 1),
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
        "p999_ms": pct(0.999),
        "max_ms": round(lat[-1], 3) if lat else None,
        "misrouted": misrouted,
    }


def warm_up(vegeta, name, targets, lazy, rates, seconds, workdir):
    """Brings a scenario to steady state before anything is measured, and discards the results.

    The JVMs (ext-proc-service, the workers) compile their hot paths at first use; measured cold,
    the first scenario to hit a JVM pays for its JIT, and the ratios then compare compilers
    rather than request paths. The ramp (lowest rate, highest rate, then unthrottled) keeps a
    cold JVM from being flooded: a flood would make ext_proc fail open, and an Envoy that once
    queued thousands of streams stays measurably slower afterwards (heap grown tenfold).
    """
    for i, rate in enumerate((rates[0], rates[-1], 0)):
        attack(
            vegeta,
            targets,
            rate,
            seconds if rate == 0 else max(1, seconds // 2),
            os.path.join(workdir, f"warm-{name}-{i}.bin"),
            lazy,
        )


def children_cpu():
    """CPU seconds of the finished child processes (the Vegeta runs) so far."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def cpu_split(before, after, vegeta_seconds, requests):
    """Where the CPU went during a run: microseconds per request for each busy process."""
    if not requests:
        return {}
    split = {name: round((after[name] - before.get(name, 0)) / requests * 1e6, 1) for name in after}
    split["vegeta"] = round(vegeta_seconds / requests * 1e6, 1)
    return split


def overhead(vegeta, envoy_bin, mode, workdir):
    rates, emb_rates, seconds, sat_seconds = MODES[mode][:4]
    results = {}
    with st.Stack(os.path.join(workdir, "overhead"), envoy_bin, st.ONE_PER_POOL, st.ONE_PER_POOL_POOLS) as s:
        base, semlb = s.url("baseline"), s.url("semlb")
        scenarios = {
            "baseline": (
                [target(base + "/rpc", body=RULE_BODY, headers={"x-semantic-pool": "fast-path"})],
                None,
                "fast-path",
                rates,
            ),
            "rules": ([target(semlb + "/rpc", body=RULE_BODY)], None, "fast-path", rates),
            "cache-hit": ([target(semlb + "/api/v1/risk/applications", body=CACHE_BODY)], None, None, rates),
            "embedding": (None, lambda out: unique_targets(semlb, out), None, emb_rates),
        }
        for name, (targets, lazy, pool, scenario_rates) in scenarios.items():
            warm_up(vegeta, name, targets, lazy, scenario_rates, MODES[mode][5], workdir)
            runs = []
            for rate in scenario_rates:
                f = attack(vegeta, targets, rate, seconds, os.path.join(workdir, f"{name}-{rate}.bin"), lazy)
                runs.append({"rate": rate, **stats(vegeta, [f], seconds, pool)})
                print(f"  {name:10s} {rate:5d}/s -> {runs[-1]}", flush=True)
            before, vegeta_before = s.cpu_seconds(), children_cpu()
            f = attack(vegeta, targets, 0, sat_seconds, os.path.join(workdir, f"{name}-max.bin"), lazy)
            after, vegeta_after = s.cpu_seconds(), children_cpu()
            saturation = stats(vegeta, [f], sat_seconds, pool)
            saturation["cpu_us_per_request"] = cpu_split(
                before, after, vegeta_after - vegeta_before, saturation["requests"]
            )
            print(f"  {name:10s}   max   -> {saturation}", flush=True)
            results[name] = {"rates": runs, "saturation": saturation}
        results["ext_proc_rss_mb"] = s.rss_mb("ext-proc-service")
    return results


HOL_KINDS = {  # kind: (rate/s, cost ms, expected pool, method, path, body)
    "fast": (100, 5, "fast-path", "POST", "/rpc", '{"action": "ping"}'),
    "general": (20, 50, "general", "POST", "/rpc", '{"action": "CREATE_USER", "data": {"name": "x"}}'),
    "heavy": (12, 400, "high-compute", "POST", "/jobs", '{"batch": [{"op": "train"}, {"op": "score"}]}'),
}


def head_of_line(vegeta, envoy_bin, mode, workdir):
    """6 workers, 2 requests at a time each; each request's cost comes from its kind."""
    seconds = MODES[mode][4]
    workers = [("general", f"w{i}") for i in range(1, 7)]
    results = {}
    for routing in ("round-robin", "semlb"):
        if routing == "round-robin":
            pools = {"general": [w for _, w in workers], "fast-path": ["w1"], "high-compute": ["w2"]}
        else:
            pools = {"fast-path": ["w1"], "general": ["w2"], "high-compute": ["w3", "w4", "w5", "w6"]}
        with st.Stack(
            os.path.join(workdir, f"hol-{routing}"),
            envoy_bin,
            workers,
            pools,
            ["--max-concurrency", "2", "--cost-header", "x-work-ms"],
        ) as s:
            url = s.url("baseline" if routing == "round-robin" else "semlb")
            # Warm the JITs and connections with cheap requests of every kind.
            warm = [
                target(url + path, method, body, {"x-work-ms": "0"})
                for _, _, _, method, path, body in HOL_KINDS.values()
            ]
            attack(vegeta, warm, 200, 3, os.path.join(workdir, f"hol-{routing}-warm.bin"))
            threads, files = [], {}
            for kind, (rate, cost, _, method, path, body) in HOL_KINDS.items():
                t = [target(url + path, method, body, {"x-work-ms": str(cost)})]
                files[kind] = os.path.join(workdir, f"hol-{routing}-{kind}.bin")
                threads.append(threading.Thread(target=attack, args=(vegeta, t, rate, seconds, files[kind])))
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            kinds = {k: stats(vegeta, [f], seconds) for k, f in files.items()}
            kinds["all"] = stats(vegeta, list(files.values()), seconds)
            results[routing] = kinds
            print(f"  head-of-line {routing}: {kinds}", flush=True)
    return results


def median_merge(objs):
    """The median of every number across runs of the same shape (lists merged item by item)."""
    first = objs[0]
    if isinstance(first, dict):
        return {k: median_merge([o[k] for o in objs]) for k in first}
    if isinstance(first, list):
        return [median_merge([o[i] for o in objs]) for i in range(len(first))]
    if isinstance(first, (int, float)) and not isinstance(first, bool):
        return round(statistics.median(objs), 3)
    return first


def main():
    p = argparse.ArgumentParser()
    g = p.add_mutually_exclusive_group()
    g.add_argument("--quick", action="store_true")
    g.add_argument("--smoke", action="store_true")
    p.add_argument("--out", default=os.path.join(st.ROOT, "bench", "results"))
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument(
        "--only",
        type=lambda v: set(v.split(",")),
        default={
            "overhead",
            "overload",
            "head_of_line",
            "deceptive",
            "feedback",
            "envoy_routes",
            "llm_usage",
            "llm_ttfb",
            "cost_keys_memory",
        },
        help="comma-separated experiments: overhead, overload, head_of_line, deceptive, feedback, envoy_routes,"
        " llm_usage, llm_ttfb, cost_keys_memory, upstream_model and flood (these two not in the default set)",
    )
    args = p.parse_args()
    mode = "smoke" if args.smoke else "quick" if args.quick else "full"
    for jar in (
        "workers/target/worker.jar",
        "xds-server/target/xds-server.jar",
        "ext-proc-service/target/ext-proc-service.jar",
    ):
        if not os.path.exists(os.path.join(st.ROOT, jar)):
            subprocess.run(
                [os.path.join(st.ROOT, "mvnw"), "-B", "-q", "-DskipTests", "package"], cwd=st.ROOT, check=True
            )
            break
    envoy_bin = st.envoy_bin()
    vegeta = st.vegeta_bin()
    workdir = os.path.join(args.out, "raw", mode)
    os.makedirs(workdir, exist_ok=True)
    sys.modules.setdefault("loadbench", sys.modules[__name__])  # measured.py uses this module's helpers
    import envoy_routes
    import flood
    import llm_ttfb
    import llm_usage
    import measured
    import overload
    import upstream_model

    experiments = {
        "overhead": lambda: overhead(vegeta, envoy_bin, mode, workdir),
        "overload": lambda: overload.overload(vegeta, envoy_bin, mode, workdir),
        "flood": lambda: flood.flood(vegeta, envoy_bin, mode, workdir),
        "head_of_line": lambda: head_of_line(vegeta, envoy_bin, mode, workdir),
        "deceptive": lambda: measured.deceptive(vegeta, envoy_bin, mode, workdir),
        "feedback": lambda: measured.feedback_overhead(vegeta, envoy_bin, mode, workdir),
        "envoy_routes": lambda: envoy_routes.envoy_routes(vegeta, envoy_bin, mode, workdir),
        "llm_usage": lambda: llm_usage.usage_overhead(vegeta, envoy_bin, mode, workdir),
        "upstream_model": lambda: upstream_model.upstream_model(vegeta, envoy_bin, mode, workdir),
        "llm_ttfb": lambda: llm_ttfb.ttfb_overhead(vegeta, envoy_bin, mode, workdir),
    }
    unknown = args.only - set(experiments) - {"cost_keys_memory"}
    if unknown:
        raise SystemExit(
            f"loadbench: --only: unknown {sorted(unknown)} (expected: {sorted(experiments)} or cost_keys_memory)"
        )
    chosen = [name for name in experiments if name in args.only]
    started = time.time()
    runs = []
    for i in range(max(1, args.repeat)):
        run = {}
        for name in chosen:
            print(f"loadbench ({mode}, run {i + 1} of {args.repeat}): {name}", flush=True)
            run[name] = experiments[name]()
        runs.append(run)
    report = {"mode": mode, "repeats": len(runs), "machine": machine(), "only": chosen}
    for name in chosen:
        if name == "deceptive":
            # Medians of the per-kind figures; what each shape first read as and the cost keys
            # are the last run's.
            report[name] = {
                v: {**runs[-1][name][v], "kinds": median_merge([r[name][v]["kinds"] for r in runs])}
                for v in ("semantic", "measured")
            }
        else:
            report[name] = median_merge([r[name] for r in runs])
    if "cost_keys_memory" in args.only:
        print(f"loadbench ({mode}): cost_keys_memory", flush=True)
        report["cost_keys_memory"] = measured.cost_keys_memory(vegeta, envoy_bin, mode, workdir)
    report["runs"] = runs
    report["seconds"] = round(time.time() - started)
    everything = set(experiments) - {"upstream_model", "flood"} | {"cost_keys_memory"}
    path = os.path.join(args.out, f"e2e-{mode}.json" if args.only == everything else f"e2e-{mode}-partial.json")
    json.dump(report, open(path, "w"), indent=2)
    print(f"loadbench: wrote {path}")


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    envoy = "envoy (see scripts/install-envoy.sh)"
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "split": "no pinning: Envoy (2 worker threads), ext-proc-service, xds-server, workers and Vegeta "
        "share both cores",
        "envoy": envoy,
    }


if __name__ == "__main__":
    main()
