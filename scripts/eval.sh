#!/usr/bin/env bash
# Measures a routing config on labelled cases: accuracy, per-pool precision/recall,
# confusion matrix, share decided by each stage, latency. Builds first if needed.
#
# Usage: scripts/eval.sh [--config config/routing.yaml] [--data config/eval/default-cases.jsonl]
#                        [--no-rules] [--no-embedding] [--errors]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jar=ext-proc-service/target/ext-proc-service.jar
[[ -f "$jar" ]] || ./mvnw -B -q -DskipTests package
args=("$@")
[[ " $* " == *" --config "* ]] || args+=(--config config/routing.yaml)
[[ " $* " == *" --data "* ]] || args+=(--data config/eval/default-cases.jsonl)
exec java -XX:+UseSerialGC -jar "$jar" eval "${args[@]}"
