#!/usr/bin/env bash
# Builds the container images of ext-proc-service, xds-server and the demo worker with Jib,
# as tarballs (target/jib-image.tar in each module), with no Docker daemon and no registry:
#   1. the base image (Debian bookworm + OpenJDK 17 JRE + user 65532) from Debian's mirrors,
#      once, into target/images/semlb-jre17-base.tar (images/base/build-base.sh);
#   2. a static grpc-health-probe (Go module proxy) for the images' /app/healthcheck;
#   3. jib:buildTar for the three deployables;
#   4. unless --no-check: each image is loaded into Podman and started under runc (read-only,
#      no capabilities, as uid 65532), and its own /app/healthcheck must report healthy
#      (images/check_image.py; needs podman and runc, images/podman/containers.conf).
# Load one where Docker exists: docker load -i ext-proc-service/target/jib-image.tar
#
# Usage: scripts/build-images.sh [--no-check]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source "$root/scripts/lib/versions.sh"
GRPC_HEALTH_PROBE_VERSION="${GRPC_HEALTH_PROBE_VERSION:-$(pinned GRPC_HEALTH_PROBE_VERSION)}"
check=true
[[ "${1:-}" == "--no-check" ]] && check=false

base=target/images/semlb-jre17-base.tar
if [[ ! -s "$base" ]]; then
  mkdir -p target/images
  echo "build-images: building the base image (Debian bookworm + OpenJDK 17 JRE)..."
  # Two statements, not `a && b`: set -e ignores a failure left of &&, and the script went on
  # to Jib, which failed with a stack trace about the missing base instead of this one line.
  images/base/build-base.sh "$base.tmp"
  mv "$base.tmp" "$base"
fi

extra=target/images/extra/app
mkdir -p "$extra/bin" "$extra/config"
cp config/routing.yaml config/routing-head.json config/pools.yaml "$extra/config/"
if [[ ! -x "$extra/bin/grpc-health-probe" ]]; then
  command -v go >/dev/null 2>&1 || { echo "build-images: Go is needed to build grpc-health-probe" >&2; exit 1; }
  echo "build-images: building a static grpc-health-probe $GRPC_HEALTH_PROBE_VERSION"
  CGO_ENABLED=0 GOBIN="$root/$extra/bin" go install "github.com/grpc-ecosystem/grpc-health-probe@$GRPC_HEALTH_PROBE_VERSION"
fi

# The semlb snapshots that jib:buildTar resolves go to a repo-local Maven repository
# (target/m2), not ~/.m2: other checkouts on the same machine may install other snapshots
# of the same version. ~/.m2 is still read (maven.repo.local.tail), so nothing is downloaded twice.
modules=ext-proc-service,xds-server,workers
m2=(-Dmaven.repo.local="$root/target/m2" -Dmaven.repo.local.tail="${MAVEN_REPO_TAIL:-$HOME/.m2/repository}")
./mvnw -B -q "${m2[@]}" -DskipTests install -pl "$modules" -am
./mvnw -B -q "${m2[@]}" jib:buildTar -pl "$modules"
for m in ext-proc-service xds-server workers; do
  echo "build-images: $m/target/jib-image.tar ($(du -h "$m/target/jib-image.tar" | cut -f1))"
done

if $check; then
  python3 images/check_image.py ext-proc-service/target/jib-image.tar --health grpc \
      -- --port {port} --admin-port -1 --embedding true
  python3 images/check_image.py xds-server/target/jib-image.tar --health grpc \
      -- --port {port} --admin-port -1
  python3 images/check_image.py workers/target/jib-image.tar --health http \
      -- --pool general --port {port}
fi
