#!/usr/bin/env bash
# Runs the benchmark suite and writes reports to bench/results/:
#   1. JMH microbenchmarks of the classifier      -> classifier.md (+ raw JSON)
#   2. end-to-end load through the real Envoy     -> e2e-<mode>.md, e2e-<mode>.png (+ raw JSON)
#      (Envoy-only baseline vs rules / cache-hit / embedding paths, and the head-of-line experiment)
# Not part of the tests. Every figure is compared with a baseline measured in the same run.
#
# Usage: scripts/bench.sh [--quick] [--repeat N] [--jmh-only | --e2e-only]
#   --quick     shorter runs (under 10 minutes in all); the default full run takes about 15
#   --repeat N  run the end-to-end benchmark N times and report medians
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/lib/versions.sh"
cd "$root"

mode=full; jmh=true; e2e=true; repeat=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) mode=quick ;;
    --repeat) repeat="${2:-}"; shift
              [[ "$repeat" =~ ^[1-9][0-9]*$ ]] || { echo "bench: --repeat: '$repeat' (expected: a whole number >= 1)" >&2; exit 2; } ;;
    --jmh-only) e2e=false ;;
    --e2e-only) jmh=false ;;
    *) echo "bench: unknown argument $1 (see the top of this script)" >&2; exit 2 ;;
  esac
  shift
done

# Tools: Vegeta (Go module proxy) and matplotlib (PyPI) into .tools/, unless already present.
if [[ -z "${VEGETA_BIN:-}" ]]; then
  VEGETA_BIN="$(command -v vegeta || echo "$root/.tools/bin/vegeta")"
  [[ -x "$VEGETA_BIN" ]] || GOBIN="$root/.tools/bin" go install "github.com/tsenart/vegeta/v12@$(pinned VEGETA_VERSION)"
fi
export VEGETA_BIN
if ! python3 -c 'import matplotlib' 2>/dev/null; then
  [[ -d "$root/.tools/python/matplotlib" ]] || python3 -m pip install --quiet --disable-pip-version-check \
      --target "$root/.tools/python" "matplotlib==$(pinned MATPLOTLIB_VERSION)"
  export PYTHONPATH="$root/.tools/python${PYTHONPATH:+:$PYTHONPATH}"
fi

./mvnw -B -q -DskipTests install
out=bench/results
mkdir -p "$out"

if $jmh; then
  jmh_args=()
  [[ $mode == quick ]] && jmh_args+=(-wi 1 -w 1s -i 2 -r 2s)
  java -jar bench/target/benchmarks.jar ClassifierBenchmark "${jmh_args[@]}" \
    -jvmArgsAppend "-Dsemlb.repoRoot=$root" -rf json -rff "$out/classifier-jmh.json" > "$out/classifier-jmh.txt"
  python3 bench/jmh_report.py "$out/classifier-jmh.json" "$out/classifier.md"
fi

if $e2e; then
  e2e_args=(--out "$out" --repeat "$repeat")
  [[ $mode == quick ]] && e2e_args+=(--quick)
  python3 bench/e2e/loadbench.py "${e2e_args[@]}"
  python3 bench/e2e/report.py "$out/e2e-$mode.json"
fi
