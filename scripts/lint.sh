#!/usr/bin/env bash
# The format and lint gate: every shell script parses (bash -n / sh -n), Java is formatted by
# google-java-format (./mvnw spotless:check), Go is gofmt-formatted (k8s/istio/verify), Python
# passes ruff (check and format --check, ruff.toml), and the dashboard passes ESLint and Prettier (npm run lint). Runs every tool, prints
# one line per failing tool (its output goes to .run/lint/<tool>.log), exits 1 if any failed.
# Installs what it needs: ruff (RUFF_VERSION from versions.env) into .tools/ruff-<version>, the
# dashboard's packages (npm ci) when node_modules is missing or older than package-lock.json.
#
# Usage: scripts/lint.sh [--fix]
#   --fix   apply every formatter and safe autofix instead (spotless:apply, ruff check --fix,
#           ruff format, npm run format), then check again
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source "$root/scripts/lib/versions.sh"

fix=false
case "${1:-}" in
  "") ;;
  --fix) fix=true ;;
  -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
  *) echo "lint: unknown argument $1 (see --help)" >&2; exit 2 ;;
esac

logs="$root/.run/lint"
mkdir -p "$logs"
failed=0
# run NAME HINT COMMAND...: runs COMMAND with its output in .run/lint/NAME.log; on failure
# prints one line naming the tool and what to do.
run() {
  local name="$1" hint="$2"; shift 2
  if "$@" >"$logs/$name.log" 2>&1; then
    echo "lint: ok    $name"
  else
    echo "lint: FAIL  $name: $hint (details: .run/lint/$name.log)" >&2
    failed=1
  fi
}

# Shell: every tracked file that is a shell script by extension or shebang.
shell_syntax() {
  local f first status=0
  while IFS= read -r f; do
    [[ -f "$f" ]] || continue
    first="$(head -c 200 "$f" | tr -d '\0' | head -n 1)"
    if [[ "$f" == *.sh || "$first" =~ ^#!.*(bash|/sh|env\ sh) ]]; then
      if [[ "$first" =~ ^#!.*bash || "$f" == *.sh ]]; then
        bash -n "$f" || { echo "$f: bash -n failed"; status=1; }
      else
        sh -n "$f" || { echo "$f: sh -n failed"; status=1; }
      fi
    fi
  done < <(git ls-files)
  return "$status"
}

# ruff, pinned, into .tools/ruff-<version> (pip --target) unless that version is there.
RUFF_VERSION="${RUFF_VERSION:-$(pinned RUFF_VERSION)}"
ruff_dir="$root/.tools/ruff-$RUFF_VERSION"
ruff="$ruff_dir/bin/ruff"
if [[ ! -x "$ruff" ]]; then
  command -v python3 >/dev/null 2>&1 || { echo "lint: python3 with pip is needed to install ruff" >&2; exit 1; }
  echo "lint: installing ruff $RUFF_VERSION into .tools/ruff-$RUFF_VERSION" >&2
  python3 -m pip install --quiet --disable-pip-version-check --target "$ruff_dir" "ruff==$RUFF_VERSION" >&2
fi

# The dashboard's ESLint and Prettier.
source "$root/scripts/lib/require-node.sh"
require_node lint
if [[ ! -f dashboard/node_modules/.package-lock.json || dashboard/package-lock.json -nt dashboard/node_modules/.package-lock.json ]]; then
  echo "lint: installing the dashboard's packages (npm ci)" >&2
  (cd dashboard && npm ci --no-audit --no-fund >&2)
fi

if $fix; then
  ./mvnw -q -B spotless:apply >"$logs/spotless-apply.log" 2>&1 \
    || { echo "lint: FAIL  spotless:apply (details: .run/lint/spotless-apply.log)" >&2; failed=1; }
  "$ruff" check --no-cache --fix --quiet . >"$logs/ruff-fix.log" 2>&1 || true   # what is left is reported below
  "$ruff" format --quiet . >"$logs/ruff-format-apply.log" 2>&1 \
    || { echo "lint: FAIL  ruff format (details: .run/lint/ruff-format-apply.log)" >&2; failed=1; }
  (cd dashboard && npm run --silent format) >"$logs/dashboard-format.log" 2>&1 || true   # checked below
  gofmt -w k8s/istio/verify
fi

# Go (the Istio harness k8s/istio/verify): gofmt, which needs no module download.
go_format() {
  local unformatted
  unformatted="$(gofmt -l k8s/istio/verify)" || return 1
  [[ -z "$unformatted" ]] || { echo "not gofmt-formatted: $unformatted"; return 1; }
}

run shell "a shell script does not parse" shell_syntax
run java-format "Java not formatted (scripts/lint.sh --fix applies google-java-format)" ./mvnw -q -B spotless:check
run ruff-check "Python lint findings (ruff check; --fix applies the safe fixes)" "$ruff" check --no-cache --quiet .
run ruff-format "Python not formatted (scripts/lint.sh --fix runs ruff format)" "$ruff" format --check --quiet .
run gofmt "Go not formatted (scripts/lint.sh --fix runs gofmt -w)" go_format
run dashboard "ESLint or Prettier findings in dashboard/ (npm run lint; --fix runs npm run format)" \
  bash -c 'cd dashboard && npm run --silent lint'

if [[ "$failed" -ne 0 ]]; then
  exit 1
fi
echo "lint: all checks passed"
