#!/usr/bin/env bash
# Runs the benchmarks and writes bench/results/classifier.md (a table with machine details)
# plus the raw JMH JSON. Not part of the tests.
#
# Usage: scripts/bench.sh [--quick] [JMH regex, e.g. embedding]
#   --quick   fewer and shorter iterations (a few minutes); default is the full run
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

jmh_args=()
if [[ "${1:-}" == "--quick" ]]; then
  jmh_args+=(-wi 1 -w 1s -i 2 -r 2s)
  shift
fi
filter="${1:-ClassifierBenchmark}"

jar=bench/target/benchmarks.jar
if [[ ! -f "$jar" ]] || [[ -n "$(find classifier bench -name '*.java' -newer "$jar" -print -quit)" ]]; then
  ./mvnw -B -q -DskipTests install -pl bench -am
fi

out=bench/results
mkdir -p "$out"
raw="$out/classifier-jmh.json"
java -jar "$jar" "$filter" "${jmh_args[@]}" -jvmArgsAppend "-Dsemlb.repoRoot=$root" \
  -rf json -rff "$raw" | tee "$out/classifier-jmh.txt"

python3 - "$raw" "$out/classifier.md" <<'PY'
import json, os, platform, subprocess, sys, datetime
raw, md = sys.argv[1], sys.argv[2]
runs = json.load(open(raw))
cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), platform.processor())
java = subprocess.run(['java', '-version'], capture_output=True, text=True).stderr.splitlines()[0]
lines = [f"# Classifier microbenchmarks ({datetime.date.today()})", "",
         f"Machine: {os.cpu_count()} cores ({cpu}), {java}. JMH, 1 fork; reproduce with `scripts/bench.sh`.", "",
         "| benchmark | params | mode | score | error | unit | p50 | p99 |", "|---|---|---|---|---|---|---|---|"]
for r in runs:
    m = r['primaryMetric']
    pct = m.get('scorePercentiles', {})
    p50 = pct.get('50.0'); p99 = pct.get('99.0')
    name = r['benchmark'].rsplit('.', 1)[1]
    params = ', '.join(f"{k}={v}" for k, v in r.get('params', {}).items()) or '-'
    def fmt(x):
        try:
            v = float(x)
        except (TypeError, ValueError):
            return '-'
        return '-' if v != v else f"{v:.3g}"
    lines.append(f"| {name} | {params} | {r['mode']} | {m['score']:.4g} | {fmt(m.get('scoreError'))} | {m['scoreUnit']} | "
                 f"{fmt(p50) if r['mode'] == 'sample' else '-'} | {fmt(p99) if r['mode'] == 'sample' else '-'} |")
open(md, 'w').write('\n'.join(lines) + '\n')
print('\n'.join(lines))
PY
