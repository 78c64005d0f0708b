#!/usr/bin/env bash
# Sends a mixed workload through semlb (default http://localhost:8080) and prints, per
# expected pool, how many requests reached which pool, with client-side latency.
# Exits 1 if any request failed or reached another pool than expected.
#
# Usage: scripts/load-test.sh [--url URL] [--rounds N] [--workload FILE]
#   --rounds N        send the whole workload N times (default 5)
#   --workload FILE   tab-separated workload (default scripts/workload.tsv; the format is
#                     described at its top; any file with a '# columns:' line works)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
url="http://localhost:8080"
rounds=5
workload="$root/scripts/workload.tsv"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --url) url="${2%/}"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --workload) workload="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "load-test: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "load-test: --rounds: '$rounds' (expected: a whole number >= 1)" >&2; exit 2; }
[[ -f "$workload" ]] || { echo "load-test: --workload: '$workload' (expected: an existing file)" >&2; exit 2; }

# Column positions come from the file's '# columns:' line.
header="$(grep -m1 '^# columns:' "$workload" || true)"
[[ -n "$header" ]] || { echo "load-test: $workload has no '# columns:' line" >&2; exit 2; }
IFS=$'\t' read -r -a cols <<<"$(sed -e 's/^# columns:[[:space:]]*//' -e 's/<TAB>/\t/g' <<<"$header")"
col() { local i; for i in "${!cols[@]}"; do [[ "${cols[$i]}" == "$1"* ]] && { echo "$i"; return; }; done; echo -1; }
c_exp=$(col expected); c_method=$(col method); c_path=$(col path); c_type=$(col content_type); c_body=$(col body)
for c in "$c_exp" "$c_method" "$c_path" "$c_type" "$c_body"; do
  [[ "$c" -ge 0 ]] || { echo "load-test: $workload lacks one of the columns expected*, method, path, content_type, body" >&2; exit 2; }
done

results="$(mktemp)"; trap 'rm -f "$results"' EXIT
total=0
for ((round = 1; round <= rounds; round++)); do
  while IFS= read -r line; do
    [[ -z "$line" || "$line" == \#* ]] && continue
    IFS=$'\t' read -r -a f <<<"$line"
    expected="${f[$c_exp]}"; method="${f[$c_method]}"; path="${f[$c_path]}"
    ctype="${f[$c_type]:--}"; body="${f[$c_body]:--}"
    args=(-s -o /dev/null -w '%{http_code}\t%header{x-served-by-pool}\t%{time_total}' -X "$method")
    [[ "$method" == HEAD ]] && args=(-s -o /dev/null -I -w '%{http_code}\t%header{x-served-by-pool}\t%{time_total}')
    [[ "$ctype" != "-" ]] && args+=(-H "content-type: $ctype")
    [[ "$body" != "-" ]] && args+=(--data-binary "$body")
    out="$(curl "${args[@]}" "$url$path" 2>/dev/null || echo $'000\t\t0')"
    printf '%s\t%s\n' "$expected" "$out" >>"$results"
    total=$((total + 1))
  done <"$workload"
done

awk -F'\t' -v total="$total" -v url="$url" '
  { want=$1; code=$2; got=($3 == "" ? "(none)" : $3); ms=$4 * 1000
    n[want, got]++; pools[want]=1; seen[got]=1
    if (code !~ /^2/) { err[want]++ } else if (got != want) { wrong[want]++ }
    lat[want, ++cnt[want]] = ms }
  END {
    printf "semlb load test: %d requests to %s\n\n", total, url
    printf "%-14s %6s  %-40s %8s %8s %6s\n", "expected pool", "sent", "reached (pool=count)", "p50 ms", "p99 ms", "errors"
    bad = 0
    for (p in pools) {
      line = ""
      for (g in seen) if ((p, g) in n) line = line (line == "" ? "" : ", ") g "=" n[p, g]
      m = cnt[p]
      for (i = 1; i <= m; i++) v[i] = lat[p, i]
      for (i = 2; i <= m; i++) { x = v[i]; j = i - 1; while (j >= 1 && v[j] > x) { v[j+1] = v[j]; j-- } v[j+1] = x }
      p50 = v[int((m - 1) * 0.50) + 1]; p99 = v[int((m - 1) * 0.99) + 1]
      printf "%-14s %6d  %-40s %8.1f %8.1f %6d\n", p, m, line, p50, p99, err[p]
      bad += err[p] + wrong[p]
    }
    printf "\n%s\n", (bad == 0 ? "OK: every request reached its expected pool." : "FAIL: " bad " request(s) failed or reached another pool.")
    exit (bad == 0 ? 0 : 1)
  }' "$results"
