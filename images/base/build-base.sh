#!/usr/bin/env bash
# Builds semlb's container base image without a Docker daemon or a container registry:
# a minimal Debian bookworm root filesystem (mmdebstrap, from Debian's package mirrors) with
# the headless OpenJDK 17 JRE, CA certificates and a non-root user (uid/gid 65532), made an
# image by `podman import` (env and user set with --change) and saved by `podman save` as a
# `docker save`-format tarball that Jib takes as its base (`tar://`). No hand-written layer code.
#
# Usage: images/base/build-base.sh OUT.tar
# Needs: mmdebstrap and podman (apt-get install mmdebstrap podman runc), root (or rootless
# Podman with mmdebstrap --mode=unshare).
# Environment: CONTAINERS_CONF (default images/podman/containers.conf).
set -euo pipefail

out="${1:?usage: build-base.sh OUT.tar}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
command -v mmdebstrap >/dev/null 2>&1 || { echo "build-base: mmdebstrap is needed (apt-get install mmdebstrap)" >&2; exit 1; }
command -v podman >/dev/null 2>&1 || { echo "build-base: podman is needed (apt-get install podman runc)" >&2; exit 1; }
export CONTAINERS_CONF="${CONTAINERS_CONF:-$here/../podman/containers.conf}"
mode=root
[[ "$(id -u)" == 0 ]] || mode=unshare

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
security="${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"

# Docs, man pages and locales are left out; update-alternatives still needs man1 to exist.
mmdebstrap --variant=minbase --mode="$mode" --format=tar \
  --include=openjdk-17-jre-headless,ca-certificates \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
  --customize-hook='chroot "$1" useradd --uid 65532 --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin nonroot' \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/* "$1"/var/log/*' \
  bookworm "$work/rootfs.tar" "deb $mirror bookworm main" "deb $security bookworm-security main"

# The root filesystem becomes the image's one layer unchanged (same digest as the tarball).
name=localhost/semlb/jre17-base:bookworm
podman import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' \
  --change 'USER 65532:65532' \
  --change 'LABEL org.opencontainers.image.description=mmdebstrap bookworm minbase + openjdk-17-jre-headless (images/base)' \
  "$work/rootfs.tar" "$name" >/dev/null
rm -f "$out"
podman save --format docker-archive -o "$out" "$name" >/dev/null
echo "build-base: wrote $out ($(du -h "$out" | cut -f1))"
