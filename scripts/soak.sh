#!/usr/bin/env bash
# Soak test through the real Envoy: the mixed workload at a steady rate for 10 minutes (by
# default), watching errors, ext_proc streams and memory (bench/e2e/soak.py). Builds first if
# needed. Report: bench/results/soak.json; exit 1 if any request failed or memory kept growing.
#
# Usage: scripts/soak.sh [--duration 600] [--rate 200] [--slice 30] [--out FILE]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
for jar in workers/target/worker.jar xds-server/target/xds-server.jar ext-proc-service/target/ext-proc-service.jar; do
  [[ -f "$jar" ]] || { ./mvnw -B -q -DskipTests package; break; }
done
exec python3 bench/e2e/soak.py "$@"
