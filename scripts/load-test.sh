#!/usr/bin/env bash
# Sends a mixed workload through semlb (default http://localhost:8080) with Vegeta and prints,
# per expected pool, how many requests reached which pool, with client-side latency, after
# Vegeta's own report. Exits 1 if any request failed or reached another pool than expected.
#
# Usage: scripts/load-test.sh [--url URL] [--rounds N] [--rate N] [--workload FILE] [--warmup]
#   --rounds N        send the whole workload N times (default 5)
#   --warmup          every request must still succeed, but the pools reached are only reported
#                     (a cold classifier may fail open to the default pool; fail-open is by design)
#   --rate N          requests per second, open loop (default 20)
#   --workload FILE   JSON lines workload (default scripts/workload.jsonl): one object a line with
#                     "expected" (pool), "method", "path", and optional "contentType" and "body"
#                     (absent or "" = none); the format of WorkloadFile and eval/public/*.jsonl
# Vegeta: $VEGETA_BIN, else on PATH, else .tools/bin/vegeta (installed with Go at the version
# versions.env pins).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/lib/versions.sh"
url="http://localhost:8080"
rounds=5
rate=20
warmup=0
workload="$root/scripts/workload.jsonl"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --url) url="${2%/}"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    --workload) workload="$2"; shift 2 ;;
    --warmup) warmup=1; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "load-test: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "load-test: --rounds: '$rounds' (expected: a whole number >= 1)" >&2; exit 2; }
[[ "$rate" =~ ^[1-9][0-9]*$ ]] || { echo "load-test: --rate: '$rate' (expected: a whole number >= 1)" >&2; exit 2; }
[[ -f "$workload" ]] || { echo "load-test: --workload: '$workload' (expected: an existing file)" >&2; exit 2; }
command -v python3 >/dev/null 2>&1 || { echo "load-test: python3 is needed for the per-pool table" >&2; exit 1; }

vegeta="${VEGETA_BIN:-$(command -v vegeta || echo "$root/.tools/bin/vegeta")}"
if [[ ! -x "$vegeta" ]]; then
  command -v go >/dev/null 2>&1 || { echo "load-test: no Vegeta at $vegeta, and Go is needed to install it" >&2; exit 1; }
  echo "load-test: installing vegeta $(pinned VEGETA_VERSION) into .tools/bin" >&2
  GOBIN="$root/.tools/bin" go install "github.com/tsenart/vegeta/v12@$(pinned VEGETA_VERSION)"
fi

# Vegeta targets (its HTTP format, bodies in files), written by Python's json module from the
# workload. The expected pool rides in the URL's fragment, which Vegeta records in each result
# but HTTP clients never send. A body that is not a string is sent as its compact JSON text,
# as WorkloadFile does.
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
targets="$work/targets.txt"
n="$(python3 -c '
import json, sys
path, url, work = sys.argv[1:4]
out, n = [], 0
for number, line in enumerate(open(path, encoding="utf-8"), 1):
    if not line.strip():
        continue
    try:
        r = json.loads(line)
    except ValueError as e:
        sys.exit(f"load-test: {path}:{number}: not JSON ({e})")
    for key in ("expected", "method", "path"):
        if not isinstance(r.get(key), str) or not r[key]:
            sys.exit(f"load-test: {path}:{number}: {key!r} missing (expected: a string)")
    body = r.get("body")
    body = "" if body is None else body if isinstance(body, str) else json.dumps(body, separators=(",", ":"), ensure_ascii=False)
    n += 1
    method, target, expected, ctype = r["method"], r["path"], r["expected"], r.get("contentType")
    out.append(f"{method} {url}{target}#expected={expected}")
    if ctype:
        out.append(f"Content-Type: {ctype}")
    if body:
        with open(f"{work}/body-{n}", "w", encoding="utf-8") as f:
            f.write(body)
        out.append(f"@{work}/body-{n}")
    out.append("")
with open(f"{work}/round.txt", "w", encoding="utf-8") as f:
    f.write("\n".join(out) + "\n")
print(n)
' "$workload" "$url" "$work")" || exit 2
[[ "$n" -gt 0 ]] || { echo "load-test: no requests read from $workload" >&2; exit 2; }
for ((round = 1; round <= rounds; round++)); do cat "$work/round.txt"; done >"$targets"
total=$((n * rounds))

# -lazy: each target once, in order; the attack ends when they run out.
"$vegeta" attack -lazy -targets "$targets" -rate "$rate/1s" -duration 0 -timeout 15s -max-body 0 \
    -name load-test >"$work/results.bin"
# Without the one result that marks the end of the targets ("no targets to attack", no URL).
"$vegeta" encode --to json "$work/results.bin" | { grep -v '"url":""' || true; } >"$work/results.json"
echo "semlb load test: $total requests to $url at $rate/s (Vegeta)"
echo
"$vegeta" report "$work/results.json"
echo
python3 -c '
import collections, json, sys

total = int(sys.argv[1])
warmup = sys.argv[2] == "1"
rows = collections.defaultdict(list)   # expected pool -> [(status, pool reached, ms)]
for line in sys.stdin:
    r = json.loads(line)
    expected = r["url"].rsplit("#expected=", 1)[1]
    reached = ((r.get("headers") or {}).get("X-Served-By-Pool") or ["(none)"])[0]
    rows[expected].append((r["code"], reached, r["latency"] / 1e6))

def pct(values, q):
    values = sorted(values)
    return values[int((len(values) - 1) * q)]

print("%-14s %6s  %-40s %8s %8s %6s" % ("expected pool", "sent", "reached (pool=count)", "p50 ms", "p99 ms", "errors"))
bad = total - sum(len(v) for v in rows.values())
for pool, got in sorted(rows.items()):
    reached = collections.Counter(g for _, g, _ in got)
    errors = sum(1 for code, _, _ in got if not 200 <= code < 300)
    wrong = sum(1 for code, g, _ in got if 200 <= code < 300 and g != pool)
    bad += errors + (0 if warmup else wrong)
    ms = [m for _, _, m in got]
    print("%-14s %6d  %-40s %8.1f %8.1f %6d" % (pool, len(got), ", ".join(f"{g}={c}" for g, c in sorted(reached.items())),
                                                pct(ms, 0.5), pct(ms, 0.99), errors))
print()
if warmup:
    print("OK: every request was answered (warm-up: pools reported, not checked)." if bad == 0
          else f"FAIL: {bad} request(s) failed or went unanswered.")
else:
    print("OK: every request reached its expected pool." if bad == 0
          else f"FAIL: {bad} request(s) failed, went unanswered or reached another pool.")
sys.exit(0 if bad == 0 else 1)
' "$total" "$warmup" <"$work/results.json"
