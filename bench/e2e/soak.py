#!/usr/bin/env python3
"""Soak test: the mixed workload (scripts/workload.tsv) through the real Envoy and semlb at a
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
import re
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
import loadbench as lb  # noqa: E402
import stack as st  # noqa: E402

WORKERS = [("general", "g1"), ("high-compute", "h1"), ("fast-path", "f1")]
POOLS = {"general": ["g1"], "high-compute": ["h1"], "fast-path": ["f1"]}


def workload_targets(url):
    targets = []
    for line in open(os.path.join(st.ROOT, "scripts", "workload.tsv")):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.rstrip("\n").split("\t")
        _, method, path = cols[0].strip(), cols[1].strip(), cols[2].strip()
        ctype = cols[3].strip() if len(cols) > 3 else "-"
        body = cols[4] if len(cols) > 4 else "-"
        t = {"method": method, "url": url + path, "header": {}}
        if ctype != "-":
            t["header"]["Content-Type"] = [ctype]
        if body.strip() != "-":
            t["body"] = base64.b64encode(body.encode()).decode()
        targets.append(json.dumps(t))
    return targets


def metrics(admin_port):
    text = urllib.request.urlopen(f"http://127.0.0.1:{admin_port}/metrics", timeout=5).read().decode()

    def one(pattern):
        values = [float(m.group(1)) for m in re.finditer(r"(?m)^" + pattern + r"\s+(-?[0-9][0-9.eE+-]*)$", text)]
        return sum(values) if values else None

    return {"heap_used_mb": round((one(r'jvm_memory_used_bytes\{area="heap"[^}]*\}') or 0) / 2**20, 1),
            "live_data_mb": round((one(r"jvm_gc_live_data_size_bytes") or 0) / 2**20, 1),
            "streams_active": int(one(r"semlb_extproc_streams_active") or 0)}


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
    envoy_bin = subprocess.run([os.path.join(st.ROOT, "scripts", "install-envoy.sh")], capture_output=True,
                               check=True, text=True).stdout.strip().splitlines()[-1]
    vegeta = st.tool("vegeta", "VEGETA_BIN", ["go", "install", "github.com/tsenart/vegeta/v12@v12.13.0"])
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
            sample = {"t": round(time.time() - started), "requests": s["requests"], "errors": s["errors"],
                      "p50_ms": s["p50_ms"], "p99_ms": s["p99_ms"], "max_ms": s["max_ms"], **metrics(admin),
                      **{f"rss_{n}_mb": rss_mb(pid) for n, pid in pids.items()}}
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
    growth = {k: grew(k) for k in ("live_data_mb", "rss_ext-proc-service_mb", "rss_xds-server_mb",
                                   "rss_envoy-semlb_mb")}
    # Margins: one GC region of live data, and RSS that a JVM may still commit late in a run.
    leak = growth["live_data_mb"] > 24 or any(growth[k] > 64 for k in growth if k.startswith("rss_"))
    report = {"duration_s": args.duration, "rate": args.rate, "requests": sum(s["requests"] or 0 for s in samples),
              "errors": errors, "streams_open_after": after["streams_active"], "growth_last_vs_first_third": growth,
              "leak_suspected": leak, "samples": samples}
    report["pass"] = errors == 0 and after["streams_active"] == 0 and not leak
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    json.dump(report, open(args.out, "w"), indent=2)
    print(f"soak: {report['requests']} requests, {errors} errors, streams open after: {after['streams_active']}, "
          f"growth {growth} -> {'PASS' if report['pass'] else 'FAIL'} ({args.out})")
    sys.exit(0 if report["pass"] else 1)


if __name__ == "__main__":
    main()
