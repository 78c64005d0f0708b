#!/usr/bin/env bash
# Checks that scripts/run-local.sh keeps the data plane up: starts it, sends the mixed workload
# from two clients through Envoy on :8080, SIGKILLs ext-proc-service twice under that load, and
# fails unless every request was answered (fail-open to the default pool while the classifier is
# down), run-local restarted the classifier each time, and routing by meaning came back. Then
# stops run-local. Uses run-local's fixed ports, which must be free.
#
# Usage: scripts/run-local-check.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

work="$(mktemp -d)"
runlocal=""
stop_all() {
  # run-local ends with 143 on SIGTERM (its own trap); that is the expected stop, not a failure.
  if [[ -n "$runlocal" ]]; then
    kill "$runlocal" 2>/dev/null || true
    wait "$runlocal" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap stop_all EXIT
fail() { echo "run-local-check: FAIL: $*" >&2; tail -n 20 "$work/run-local.log" >&2 || true; exit 1; }
log() { echo "run-local-check: $*"; }

scripts/run-local.sh >"$work/run-local.log" 2>&1 &
runlocal=$!
for _ in $(seq 1 240); do
  grep -q "semlb is up" "$work/run-local.log" && break
  kill -0 "$runlocal" 2>/dev/null || fail "run-local.sh exited before the stack was up"
  sleep 0.5
done
grep -q "semlb is up" "$work/run-local.log" || fail "the stack was not up within 120 s"
log "stack up"

# The classifier's JVM, a child of run-local (not the jar path of any other process here).
ext_proc_pid() { pgrep -P "$runlocal" -f 'ext-proc-service/target/ext-proc-service.jar' | head -1; }
# A request the classifier decides (rule 'health-check-actions'): fast-path only when
# ext-proc-service answered; while it is down Envoy fails open to general. (Not /healthz: xds-server
# puts that rule in Envoy's own route table, so it reads fast-path with the classifier down.)
routes_by_meaning() {
  [[ "$(curl -fsS -o /dev/null -w '%header{x-served-by-pool}' -H 'content-type: application/json' \
      --data '{"action": "ping"}' http://127.0.0.1:8080/rpc 2>/dev/null)" == fast-path ]]
}

stop="$work/stop"
python3 scripts/lib/steady_load.py --url http://127.0.0.1:8080 --stop "$stop" --clients 2 >"$work/load.json" &
loader=$!
sleep 2
for kill_no in 1 2; do
  pid="$(ext_proc_pid)"
  [[ -n "$pid" ]] || fail "no ext-proc-service process under run-local"
  kill -9 "$pid"
  log "kill $kill_no: SIGKILLed ext-proc-service (pid $pid)"
  back=""
  for tenth in $(seq 1 600); do
    new="$(ext_proc_pid || true)"
    if [[ -n "$new" && "$new" != "$pid" ]] && routes_by_meaning; then back=$tenth; break; fi
    sleep 0.1
  done
  [[ -n "$back" ]] || fail "ext-proc-service not back and routing by meaning within 60 s of kill $kill_no"
  log "kill $kill_no: restarted (pid $new) and routing by meaning $((back / 10)).$((back % 10)) s after the kill"
  sleep 2
done
touch "$stop"
wait "$loader"
result="$(cat "$work/load.json")"
log "load during the kills: $result"
python3 -c '
import json, sys
r = json.loads(sys.argv[1])
sys.exit(0 if r["failed"] == 0 and r["sent"] > 50 else 1)
' "$result" || fail "requests failed (or too few were sent) while ext-proc-service was down: $result"
[[ "$(grep -c 'run-local: ext-proc-service exited' "$work/run-local.log")" -eq 2 ]] \
  || fail "run-local did not report two ext-proc-service restarts"
log "OK: 0 failed requests through two classifier crashes; run-local kept Envoy serving"
