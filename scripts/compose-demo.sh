#!/usr/bin/env bash
# Starts the Docker Compose demo stack (docker-compose.yml), waits until every service is
# healthy and Envoy routes, then runs scripts/load-test.sh against it. The stack keeps
# running afterwards (docker compose down stops it) unless --down is given.
#
# Needs Docker with the compose v2 plugin (2.24 or later) and the semlb images (see the top
# of docker-compose.yml). Fails with the reason when any of that is missing;
# scripts/run-local.sh runs the same system without Docker, and scripts/compose-test.sh
# tests this compose file under Podman (with test-only stand-ins for the public images).
#
# Usage: scripts/compose-demo.sh [--llm] [--down] [load-test arguments, e.g. --rounds 2]
#   --llm    also start Ollama (profile llm + deploy/compose/llm.yaml) and pull
#            $OLLAMA_MODEL (default qwen2.5:0.5b) into it; the profile also starts the LLM
#            gateway on :8081, which waits for its model pools' downloads (several GB the
#            first time; docs/llm-gateway.md), so the wait is up to an hour then
#   --down   stop and remove the stack when done
# Environment: SEMLB_TAG, SEMLB_ADMIN_TOKEN, OLLAMA_MODEL (see docker-compose.yml),
#   SEMLB_URL (default http://localhost:8080): where the load test sends its requests
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

fail() { echo "compose-demo: $*" >&2; exit 1; }

llm=false
down=false
load_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --llm) llm=true; shift ;;
    --down) down=true; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) load_args+=("$1"); shift ;;
  esac
done

command -v docker >/dev/null 2>&1 \
  || fail "docker is not installed; this demo needs Docker with the compose plugin (scripts/run-local.sh needs neither)"
docker compose version >/dev/null 2>&1 \
  || fail "'docker compose' is not available: install the Docker Compose v2 plugin (2.24 or later)"
docker info >/dev/null 2>&1 \
  || fail "cannot reach the Docker engine (is the daemon running, and may this user use it?)"
command -v curl >/dev/null 2>&1 || fail "curl is needed for the load test"

# The dashboard container serves this checkout's build.
if [[ ! -f dashboard/dist/index.html ]]; then
  source scripts/lib/require-node.sh
  require_node compose-demo
  echo "compose-demo: building the dashboard (npm ci && npm run build in dashboard/)..."
  (cd dashboard && npm ci --no-audit --no-fund && npm run build)
fi
# The images: loaded from scripts/build-images.sh's tarballs when Docker does not have them.
for image in ext-proc-service:ext-proc-service xds-server:xds-server worker:workers; do
  name="semlb/${image%%:*}:${SEMLB_TAG:-0.1.0}"
  if ! docker image inspect "$name" >/dev/null 2>&1; then
    tar="${image##*:}/target/jib-image.tar"
    [[ -f "$tar" ]] || scripts/build-images.sh --no-check
    echo "compose-demo: docker load -i $tar"
    docker load -i "$tar" >/dev/null
  fi
done

compose=(docker compose -f docker-compose.yml)
wait_timeout=300
if $llm; then
  compose+=(-f deploy/compose/llm.yaml --profile llm)
  wait_timeout=3600   # ollama-pull downloads the pools' models first (docker compose logs -f ollama-pull)
fi

if $down; then
  trap '"${compose[@]}" down' EXIT
fi

echo "compose-demo: starting the stack (docker compose up -d --wait)..."
if ! "${compose[@]}" up -d --wait --wait-timeout "$wait_timeout"; then
  "${compose[@]}" ps -a >&2 || true
  "${compose[@]}" logs --tail 20 >&2 || true
  fail "the stack did not become healthy (above: each service's state and last log lines)"
fi

if $llm; then
  model="${OLLAMA_MODEL:-qwen2.5:0.5b}"
  echo "compose-demo: pulling $model into Ollama (once; kept in the ollama-models volume)..."
  "${compose[@]}" exec -T ollama ollama pull "$model" || fail "ollama pull $model failed"
fi

url="${SEMLB_URL:-http://localhost:8080}"
echo "compose-demo: waiting until $url routes (GET /healthz reaches fast-path)..."
for _ in $(seq 1 60); do
  if [[ "$(curl -fsS -o /dev/null -w '%header{x-served-by-pool}' "$url/healthz" 2>/dev/null)" == fast-path ]]; then
    status=0
    scripts/load-test.sh --url "$url" ${load_args[@]+"${load_args[@]}"} || status=$?
    cat <<TXT

compose-demo: the stack is $($down && echo "being stopped" || echo "still running"):
  proxy        $url
  dashboard    http://localhost:3000
  Prometheus   http://localhost:9092
  Envoy admin  http://localhost:9901   (try /clusters: both worker-general replicas serve)
TXT
    if $llm; then
      echo "  LLM gateway  http://localhost:8081   (Ollama model pools; docs/llm-gateway.md)"
    fi
    exit "$status"
  fi
  sleep 1
done
fail "Envoy on $url did not route /healthz to fast-path within 60s (docker compose logs envoy ext-proc-service xds-server)"
