#!/usr/bin/env python3
"""Soak test: the mixed workload (scripts/workload.jsonl) through the real Envoy and semlb at a
steady rate (Vegeta, open loop) for a long time, in slices. After every slice it records the
errors, the latency, ext-proc-service's heap (live data after the last GC and used heap, from
its /metrics), the resident memory of ext-proc-service, xds-server and Envoy, and the ext_proc
streams still open. Passes when no request failed, no stream is left open once the load
stops, and memory levelled off: the last third of the run grew no more than a small margin
over the first third (a leak grows without bound).
Usage: soak.py [--duration 600] [--rate 200] [--slice 30] [--out bench/results/soak.json]
Exit status 0 on pass, 1 on fail; the JSON report is written either way.
"""

import argparse
import base64
import json
import os
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
import loadbench as lb  # noqa: E402
import stack as st  # noqa: E402

text_string_to_metric_families = st.python_package(
    "prometheus_client.parser", "prometheus-client", "PROMETHEUS_CLIENT_VERSION"
).text_string_to_metric_families

WORKERS = [("general", "g1"), ("high-compute", "h1"), ("fast-path", "f1")]
POOLS = {"general": ["g1"], "high-compute": ["h1"], "fast-path": ["f1"]}


def workload_targets(url, file=None):
    """Vegeta JSON targets for the requests of scripts/workload.jsonl (one JSON object a line with
    expected, method, path and optional contentType and body; a non-string body is sent as JSON)."""
    file = file or os.path.join(st.ROOT, "scripts", "workload.jsonl")
    targets = []
    with open(file, encoding="utf-8") as lines:
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            r = json.loads(line)
            for key in ("expected", "method", "path"):
                if not isinstance(r.get(key), str):
                    raise SystemExit(f"soak: {file}:{n}: {key!r} missing (expected: a string)")
            body = r.get("body")
            if body is not None and not isinstance(body, str):
                body = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
            t = {"method": r["method"], "url": url + r["path"], "header": {}}
            if r.get("contentType"):
                t["header"]["Content-Type"] = [r["contentType"]]
            if body:
                t["body"] = base64.b64encode(body.encode()).decode()
            targets.append(json.dumps(t))
    return targets


def metrics(admin_port):
    text = urllib.request.urlopen(f"http://127.0.0.1:{admin_port}/metrics", timeout=5).read().decode()
    samples = [s for family in text_string_to_metric_families(text) for s in family.samples]

    def total(name, **labels):
        values = [s.value for s in samples if s.name == name and all(s.labels.get(k) == v for k, v in labels.items())]
        return sum(values) if values else None

    return {
        "heap_used_mb": round((total("jvm_memory_used_bytes", area="heap") or 0) / 2**20, 1),
        "live_data_mb": round((total("jvm_gc_live_data_size_bytes") or 0) / 2**20, 1),
        "streams_active": int(total("semlb_extproc_streams_active") or 0),
    }


def rss_mb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return None


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--duration", type=int, default=600)
    p.add_argument("--rate", type=int, default=200)
    p.add_argument("--slice", type=int, default=30)
    p.add_argument("--out", default=os.path.join(st.ROOT, "bench", "results", "soak.json"))
    args = p.parse_args()
    envoy_bin = st.envoy_bin()
    vegeta = st.vegeta_bin()
    workdir = os.path.join(os.path.dirname(args.out), "raw", "soak")
    os.makedirs(workdir, exist_ok=True)
    samples = []
    with st.Stack(workdir, envoy_bin, WORKERS, POOLS, extproc_admin=True) as stack:
        admin = stack.ports["extproc-admin"]
        targets = workload_targets(stack.url("semlb"))
        lb.attack(vegeta, targets, 100, 5, os.path.join(workdir, "warm.bin"))
        pids = {n: stack.pid(n) for n in ("ext-proc-service", "xds-server", "envoy-semlb")}
        started = time.time()
        slices = max(1, args.duration // args.slice)
        for i in range(slices):
            seconds = min(args.slice, args.duration - i * args.slice) or args.slice
            f = lb.attack(vegeta, targets, args.rate, seconds, os.path.join(workdir, f"slice-{i}.bin"))
            s = lb.stats(vegeta, [f], seconds)
            sample = {
                "t": round(time.time() - started),
                "requests": s["requests"],
                "errors": s["errors"],
                "p50_ms": s["p50_ms"],
                "p99_ms": s["p99_ms"],
                "max_ms": s["max_ms"],
                **metrics(admin),
                **{f"rss_{n}_mb": rss_mb(pid) for n, pid in pids.items()},
            }
            samples.append(sample)
            print(f"soak: {json.dumps(sample)}", flush=True)
            os.remove(f)
        time.sleep(2)
        after = metrics(admin)
    third = max(1, len(samples) // 3)

    def grew(key):
        first = max(s[key] for s in samples[:third])
        last = max(s[key] for s in samples[-third:])
        return round(last - first, 1)

    errors = sum(s["errors"] for s in samples)
    growth = {
        k: grew(k) for k in ("live_data_mb", "rss_ext-proc-service_mb", "rss_xds-server_mb", "rss_envoy-semlb_mb")
    }
    # Margins: one GC region of live data, and RSS that a JVM may still commit late in a run.
    leak = growth["live_data_mb"] > 24 or any(growth[k] > 64 for k in growth if k.startswith("rss_"))
    report = {
        "duration_s": args.duration,
        "rate": args.rate,
        "requests": sum(s["requests"] or 0 for s in samples),
        "errors": errors,
        "streams_open_after": after["streams_active"],
        "growth_last_vs_first_third": growth,
        "leak_suspected": leak,
        "samples": samples,
    }
    report["pass"] = errors == 0 and after["streams_active"] == 0 and not leak
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    json.dump(report, open(args.out, "w"), indent=2)
    print(
        f"soak: {report['requests']} requests, {errors} errors, streams open after: {after['streams_active']}, "
        f"growth {growth} -> {'PASS' if report['pass'] else 'FAIL'} ({args.out})"
    )
    sys.exit(0 if report["pass"] else 1)


if __name__ == "__main__":
    main()
