#!/usr/bin/env bash
# Rewrites envoy-1.40.0-access.jsonl beside this script: the real Envoy (ENVOY, default the
# repository's .tools/envoy-1.40.0) runs envoy/examples/cost-history-log.yaml in front of
# history_upstream.py and serves 80 requests; the file is the log Envoy wrote. Needs curl and
# python3, and ports 18080, 18081 and 18901 free.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../../../../../.." && pwd)"
envoy="${ENVOY:-$root/.tools/envoy-1.40.0/envoy/_bin/envoy}"
log=/tmp/semlb-access.jsonl
rm -f "$log"
python3 "$here/history_upstream.py" 18081 & upstream=$!
"$envoy" -c "$root/envoy/examples/cost-history-log.yaml" --base-id 7731 -l warning & proxy=$!
trap 'kill $proxy $upstream 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  curl -sf -o /dev/null localhost:18901/ready && curl -sf -o /dev/null localhost:18081/ && break
  sleep 0.2
done
b=localhost:18080
semlb() { curl -s -o /dev/null -H "x-semantic-pool: $1" -H "x-semlb-cost-key: $2" "${@:3}"; }
for i in $(seq 1 25); do
  # A cheap read, a deceptive one (reads cheap, costs 300 ms), and traffic semlb never saw.
  semlb fast-path 'GET /v1/users/{id}' "$b/v1/users/$i" & p1=$!
  semlb fast-path 'GET /v1/reports/{id}' "$b/v1/reports/$((1000 + i))?format=csv" & p2=$!
  curl -s -o /dev/null -X POST -H 'content-type: application/json' -d "{\"item\":$i}" \
    "$b/v1/orders" & p3=$!
  wait $p1 $p2 $p3
done
for _ in 1 2 3; do semlb general 'GET /v1/fail' "$b/v1/fail"; done
semlb general 'DELETE /v1/orders/{id}' -X DELETE "$b/v1/orders/7f3c2a9e-55b1-4c0e-9a7e-0d5b2f1c9e11"
# No upstream at all: Envoy answers 503 and logs no upstream time.
kill $upstream; wait $upstream 2>/dev/null || true
semlb general 'GET /v1/users/{id}' "$b/v1/users/99"
# The file logger flushes every second.
sleep 2
cp "$log" "$here/envoy-1.40.0-access.jsonl"
wc -l "$here/envoy-1.40.0-access.jsonl"
