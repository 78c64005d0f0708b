#!/usr/bin/env python3
"""Sends the mixed workload (scripts/workload.jsonl) in a loop from N clients until a stop
file appears, and prints one JSON line: requests sent, failed (no answer or not 2xx), the worst
latency, and how many answers each pool served. Used by scripts/compose-test.sh to count what
a fault costs while it happens.

  steady_load.py --url http://127.0.0.1:PORT --stop FILE [--clients 2] [--workload FILE]
"""

import argparse
import collections
import json
import os
import pathlib
import threading
import time
import urllib.error
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]


def requests(workload):
    """(method, path, content type, body bytes) for each line of a JSON-lines workload (the
    fields WorkloadFile reads: expected, method, path, optional contentType and body; a body
    that is not a string is sent as its compact JSON text)."""
    rows = []
    for line in pathlib.Path(workload).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        body = r.get("body")
        if body is not None and not isinstance(body, str):
            body = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
        rows.append((r["method"], r["path"], r.get("contentType") or None, body.encode() if body else None))
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--stop", required=True)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--workload", default=str(ROOT / "scripts/workload.jsonl"))
    opts = parser.parse_args()
    rows = requests(opts.workload)
    lock = threading.Lock()
    stats = {"sent": 0, "failed": 0, "worst_ms": 0.0}
    pools = collections.Counter()
    failures = collections.Counter()

    def client(offset):
        i = offset
        while not os.path.exists(opts.stop):
            method, path, ctype, body = rows[i % len(rows)]
            i += 1
            req = urllib.request.Request(opts.url + path, data=body, method=method)
            if ctype:
                req.add_header("content-type", ctype)
            start = time.monotonic()
            status, pool = 0, ""
            try:
                with urllib.request.urlopen(req, timeout=15) as resp:
                    resp.read()
                    status, pool = resp.status, resp.headers.get("x-served-by-pool", "")
            except urllib.error.HTTPError as e:
                status = e.code
            except OSError as e:
                failures[type(e).__name__] += 1
            ms = (time.monotonic() - start) * 1000
            with lock:
                stats["sent"] += 1
                stats["worst_ms"] = max(stats["worst_ms"], ms)
                if not 200 <= status < 300:
                    stats["failed"] += 1
                    if status:
                        failures[str(status)] += 1
                else:
                    pools[pool or "(none)"] += 1

    threads = [threading.Thread(target=client, args=(k * 7,)) for k in range(opts.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps({**stats, "worst_ms": round(stats["worst_ms"]), "pools": dict(pools), "failures": dict(failures)}))


if __name__ == "__main__":
    main()
