#!/usr/bin/env bash
# Starts semlb on this machine, no Docker needed: three demo workers (one per pool),
# xds-server, ext-proc-service, a real Envoy in front on :8080 and the live dashboard on :3000.
# Builds first if needed (the jars with Maven, the dashboard with npm; needs Node.js >= 20.19).
# Ctrl-C (or SIGTERM) stops everything it started; a process that exits meanwhile is restarted
# with backoff (1 s doubling to 30 s), so Envoy keeps serving (failing open) through a crashed
# classifier, as compose's restart policy does. Logs: .run/logs/.
#
# Usage: scripts/run-local.sh [--profile default|llm]
#   default  the pools general, high-compute and fast-path (config/pools.yaml, config/routing.yaml)
#   llm      semlb as an LLM gateway: demo OpenAI-compatible model servers for the pools code,
#            chat and fast (config/examples/llm-pools.yaml), routed by config/examples/llm-models.yaml;
#            see docs/llm-gateway.md
#
# Environment:
#   WORKER_PROFILE=demo|none  demo (default) gives the pools the reference latencies:
#                             fast-path ~5 ms, general ~50 ms, high-compute ~400 ms (4 at once);
#                             with --profile llm, each model's time to first token and token
#                             rate (none: every token at once)
#   SEMLB_LOG_LEVEL=DEBUG     log every routing decision in .run/logs/ext-proc-service.log
#   JAVA_OPTS                 extra JVM flags for every Java process
set -euo pipefail

profile=default
while [[ $# -gt 0 ]]; do
  case "$1" in
    --profile) profile="${2:-}"; shift 2 || { echo "run-local: --profile needs a value (default or llm)" >&2; exit 2; } ;;
    --profile=*) profile="${1#--profile=}"; shift ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "run-local: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$profile" in
  default|llm) ;;
  *) echo "run-local: --profile must be default or llm, not '$profile'" >&2; exit 2 ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
logs="$root/.run/logs"
mkdir -p "$logs"

# The dashboard needs Node.js; say so before spending minutes on a build.
source "$root/scripts/lib/require-node.sh"
require_node run-local

envoy_bin="$(scripts/install-envoy.sh)"

jars=(workers/target/worker.jar xds-server/target/xds-server.jar ext-proc-service/target/ext-proc-service.jar)
stale=false
for jar in "${jars[@]}"; do
  if [[ ! -f "$jar" ]] || [[ -n "$(find . -path ./.run -prune -o -path ./.tools -prune -o -path ./dashboard/node_modules -prune -o \
      \( -name '*.java' -o -name pom.xml \) -newer "$jar" -print -quit)" ]]; then
    stale=true
  fi
done
if $stale; then
  echo "run-local: building (./mvnw -DskipTests package)..."
  ./mvnw -B -q -DskipTests package
fi

# The dashboard: npm ci when its dependencies are missing or the lockfile changed, then a
# build when dist/ is missing or older than any of its sources.
dash="$root/dashboard"
npm_step() {  # description log command...
  local what="$1" log="$2"; shift 2
  echo "run-local: $what..."
  if ! (cd "$dash" && "$@") >"$log" 2>&1; then
    echo "run-local: $what failed; last lines of $log:" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
}
if [[ ! -f "$dash/node_modules/.package-lock.json" || "$dash/package-lock.json" -nt "$dash/node_modules/.package-lock.json" ]]; then
  npm_step "installing the dashboard's packages (npm ci)" "$logs/dashboard-npm-ci.log" npm ci --no-audit --no-fund
fi
if [[ ! -f "$dash/dist/index.html" ]] || [[ -n "$(find "$dash/src" "$dash/index.html" "$dash/package.json" \
    "$dash/package-lock.json" "$dash/vite.config.ts" "$dash/tsconfig.json" -newer "$dash/dist/index.html" -print -quit)" ]]; then
  npm_step "building the dashboard (npm run build)" "$logs/dashboard-build.log" npm run build
fi

for port in 8080 9901 9090 9091 50051 18000 9001 9002 9003 3000; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "run-local: port $port is already in use; stop whatever holds it first" >&2
    exit 1
  fi
done

pids=()
names=()
cleanup() {
  trap - INT TERM EXIT
  echo; echo "run-local: stopping..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "run-local: stopped"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

declare -A cmds=()      # name -> the command, shell-quoted
declare -A started=()   # name -> when it last started (epoch seconds)
declare -A backoff=()   # name -> seconds to wait before the next restart
start() {  # name command...
  local name="$1"; shift
  cmds[$name]="$(printf '%q ' "$@")"
  "$@" >"$logs/$name.log" 2>&1 &
  pids+=("$!"); names+=("$name"); started[$name]=$SECONDS; backoff[$name]=1
}

# Restarts the process at index $1 after its backoff (1 s, doubling to 30 s; back to 1 s once it
# has run for a minute), appending to its log, as compose's restart policy does: a crashed
# classifier must not take Envoy down with it (Envoy fails open meanwhile).
restart() {
  local i="$1" name="${names[$1]}" code=0
  wait "${pids[$i]}" 2>/dev/null || code=$?
  (( SECONDS - started[$name] >= 60 )) && backoff[$name]=1
  echo "run-local: $name exited (status $code); restarting in ${backoff[$name]} s (log: $logs/$name.log)" >&2
  sleep "${backoff[$name]}"
  backoff[$name]=$(( backoff[$name] * 2 > 30 ? 30 : backoff[$name] * 2 ))
  echo "run-local: restarting $name $(date -u +%FT%TZ)" >>"$logs/$name.log"
  eval "${cmds[$name]}" '>>"$logs/$name.log" 2>&1 &'
  pids[$i]=$!; started[$name]=$SECONDS
}

java_opts=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 ${JAVA_OPTS:-})
service_opts=(-XX:+UseSerialGC ${JAVA_OPTS:-})
if [[ "$profile" == llm ]]; then
  # Demo model servers (docs/llm-gateway.md): one per pool, each its own model, time to first
  # token, token rate and reply length; code and chat generate 8 replies at once at most.
  case "${WORKER_PROFILE:-demo}" in
    demo)
      code=(--llm-ttft 250ms --llm-tokens-per-second 50 --llm-reply-tokens 64 --max-concurrency 8)
      chat=(--llm-ttft 400ms --llm-tokens-per-second 30 --llm-reply-tokens 48 --max-concurrency 8)
      fast=(--llm-ttft 40ms --llm-tokens-per-second 150 --llm-reply-tokens 16) ;;
    none)
      code=(--llm-ttft 0ms --llm-tokens-per-second 0 --llm-reply-tokens 64)
      chat=(--llm-ttft 0ms --llm-tokens-per-second 0 --llm-reply-tokens 48)
      fast=(--llm-ttft 0ms --llm-tokens-per-second 0 --llm-reply-tokens 16) ;;
    *) echo "run-local: WORKER_PROFILE must be demo or none" >&2; exit 2 ;;
  esac
  pools_file=config/examples/llm-pools.yaml
  routing_file=config/examples/llm-models.yaml
  start model-code java "${java_opts[@]}" -Xmx128m -jar workers/target/worker.jar --host 127.0.0.1 --pool code --port 9001 \
    --llm-model demo-code-7b "${code[@]}"
  start model-chat java "${java_opts[@]}" -Xmx128m -jar workers/target/worker.jar --host 127.0.0.1 --pool chat --port 9002 \
    --llm-model demo-chat-8b "${chat[@]}"
  start model-fast java "${java_opts[@]}" -Xmx128m -jar workers/target/worker.jar --host 127.0.0.1 --pool fast --port 9003 \
    --llm-model demo-fast-1b "${fast[@]}"
else
  case "${WORKER_PROFILE:-demo}" in
    demo)
      general=(--latency 45ms --jitter 10ms)
      heavy=(--latency 380ms --jitter 40ms --max-concurrency 4)
      fast=(--latency 4ms --jitter 2ms) ;;
    none) general=(); heavy=(); fast=() ;;
    *) echo "run-local: WORKER_PROFILE must be demo or none" >&2; exit 2 ;;
  esac
  pools_file=config/pools.yaml
  routing_file=config/routing.yaml
  start worker-general      java "${java_opts[@]}" -Xmx128m -jar workers/target/worker.jar --host 127.0.0.1 --pool general --port 9001 "${general[@]}"
  start worker-high-compute java "${java_opts[@]}" -Xmx128m -jar workers/target/worker.jar --host 127.0.0.1 --pool high-compute --port 9002 "${heavy[@]}"
  start worker-fast-path    java "${java_opts[@]}" -Xmx128m -jar workers/target/worker.jar --host 127.0.0.1 --pool fast-path --port 9003 "${fast[@]}"
fi
start xds-server       java "${service_opts[@]}" -Xmx256m -jar xds-server/target/xds-server.jar --host 127.0.0.1 --pools "$pools_file" \
  --routing "$routing_file"
start ext-proc-service java "${service_opts[@]}" -Xmx512m -jar ext-proc-service/target/ext-proc-service.jar --host 127.0.0.1 --routing "$routing_file" \
  --pools "$pools_file"
start envoy "$envoy_bin" -c envoy/envoy.yaml --disable-hot-restart --log-level warn
start dashboard node dashboard/server.mjs --host 127.0.0.1 --port 3000

# Ready when Envoy routes by meaning: the default profile's /healthz goes to fast-path by a
# rule; with --profile llm, a chat completion pasting fenced code goes to code by a rule.
routes_by_meaning() {
  if [[ "$profile" == llm ]]; then
    [[ "$(curl -fsS -o /dev/null -w '%header{x-served-by-pool}' -H 'content-type: application/json' \
        -d '{"model":"auto","max_tokens":1,"messages":[{"role":"user","content":"```\nx = 1\n```"}]}' \
        http://127.0.0.1:8080/v1/chat/completions 2>/dev/null)" == code ]]
  else
    curl -fsS -o /dev/null -H 'x-semantic-pool: high-compute' http://127.0.0.1:8080/healthz 2>/dev/null \
      && [[ "$(curl -fsS -o /dev/null -w '%header{x-served-by-pool}' http://127.0.0.1:8080/healthz 2>/dev/null)" == fast-path ]]
  fi
}
banner() {
  if [[ "$profile" == llm ]]; then
    cat <<TXT
run-local: semlb is up (profile llm: OpenAI-compatible model pools; docs/llm-gateway.md).
  OpenAI API (send here)      http://localhost:8080/v1   (model "auto": semlb picks the pool)
  dashboard                   http://localhost:3000   (live decisions, rates, pools, try a request)
  Envoy admin                 http://localhost:9901   (stats, clusters)
  ext-proc-service (gRPC)     localhost:50051         (routing: config/examples/llm-models.yaml)
  admin API + metrics         http://localhost:9090/api/stats, /api/decisions, /metrics
  xds-server (ADS gRPC)       localhost:18000         (pools: http://localhost:9091/api/pools)
  model servers               code :9001 demo-code-7b, chat :9002 demo-chat-8b, fast :9003 demo-fast-1b
  try:    curl -si localhost:8080/v1/chat/completions -H 'content-type: application/json' \\
            -d '{"model":"auto","messages":[{"role":"user","content":"fix this TypeError in my javascript"}]}'
          python3 scripts/check-openai-sdk.py --base-url http://localhost:8080/v1
  logs:   $logs
A process that exits is restarted (backoff 1-30 s); Envoy keeps serving meanwhile.
Press Ctrl-C to stop.
TXT
  else
    cat <<TXT
run-local: semlb is up.
  proxy (send traffic here)   http://localhost:8080
  dashboard                   http://localhost:3000   (live decisions, rates, pools, try a request)
  Envoy admin                 http://localhost:9901   (stats, clusters)
  ext-proc-service (gRPC)     localhost:50051         (grpc.health.v1 too)
  admin API + metrics         http://localhost:9090/api/stats, /api/decisions, /metrics
  xds-server (ADS gRPC)       localhost:18000         (pools: http://localhost:9091/api/pools)
  workers                     general :9001, high-compute :9002, fast-path :9003
  try:    curl -i localhost:8080/healthz
          scripts/load-test.sh
  logs:   $logs
A process that exits is restarted (backoff 1-30 s); Envoy keeps serving meanwhile.
Press Ctrl-C to stop.
TXT
  fi
}

echo "run-local: waiting for Envoy on :8080..."
for _ in $(seq 1 120); do
  for i in "${!pids[@]}"; do
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then
      echo "run-local: ${names[$i]} exited; last lines of $logs/${names[$i]}.log:" >&2
      tail -n 20 "$logs/${names[$i]}.log" >&2
      exit 1
    fi
  done
  if routes_by_meaning && curl -fsS -o /dev/null http://127.0.0.1:3000/ 2>/dev/null; then
    banner
    # Supervise until Ctrl-C: whatever exits is restarted, the others keep serving.
    while true; do
      wait -n "${pids[@]}" 2>/dev/null || true
      for i in "${!pids[@]}"; do
        kill -0 "${pids[$i]}" 2>/dev/null || restart "$i"
      done
    done
  fi
  sleep 0.5
done
echo "run-local: Envoy did not route on :8080 (or the dashboard did not answer on :3000) within 60s; see $logs" >&2
exit 1
