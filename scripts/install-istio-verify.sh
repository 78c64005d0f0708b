#!/usr/bin/env bash
# Builds k8s/istio/verify (the harness that runs Istio's own discovery server over k8s/istio, for
# IstioGatewayIT and IstioSidecarIT) and prints the binary's path on stdout (progress on stderr).
#
# Its Istio is istio.io/istio at ISTIO_VERSION (versions.env; k8s/istio/verify/go.mod must require
# exactly that). Go module downloads go to .tools/gomod (shared with scripts/validate-deploy.sh),
# the build cache to .tools/gocache, the binary to .tools/istio-verify-<ISTIO_VERSION>-<hash of
# the harness sources>/: built once per version and source, then reused. Needs Go and the Go module
# proxy the first time (measured from empty caches: see docs/istio.md); exits non-zero, never skips.
#
# Usage: scripts/install-istio-verify.sh    # prints e.g. .tools/istio-verify-v0.0.0-...-1a2b3c/istio-verify
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/lib/versions.sh"
ISTIO_VERSION="$(pinned ISTIO_VERSION)"
src="$root/k8s/istio/verify"

fail() { echo "install-istio-verify: $*" >&2; exit 1; }

command -v go >/dev/null 2>&1 || fail "Go is needed to build k8s/istio/verify"
grep -q "^[[:space:]]*istio.io/istio $ISTIO_VERSION\$" "$src/go.mod" \
  || fail "k8s/istio/verify/go.mod does not require istio.io/istio $ISTIO_VERSION (versions.env ISTIO_VERSION)"

hash="$(cd "$src" && cat go.mod go.sum ./*.go | sha256sum | cut -c1-12)"
dir="$root/.tools/istio-verify-$ISTIO_VERSION-$hash"
bin="$dir/istio-verify"
if [[ ! -x "$bin" ]]; then
  echo "install-istio-verify: building k8s/istio/verify (istio.io/istio $ISTIO_VERSION) into $dir" >&2
  start=$SECONDS
  mkdir -p "$dir"
  (cd "$src" && GOMODCACHE="$root/.tools/gomod" GOCACHE="$root/.tools/gocache" GOFLAGS=-modcacherw \
      go build -ldflags="-s -w" -o "$bin.tmp" .) >&2 || fail "go build failed"
  mv "$bin.tmp" "$bin"
  echo "install-istio-verify: built in $((SECONDS - start)) s" >&2
fi
echo "$bin"
