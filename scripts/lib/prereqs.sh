#!/usr/bin/env bash
# What scripts/test.sh needs from the machine, in one place: JDK 17+, Python 3 with pip, Go,
# curl, Node.js >= NODE_MIN_VERSION (versions.env) with npm, Chromium (CHROMIUM_BIN, default
# /usr/bin/chromium), mmdebstrap, Podman and runc, and root (the image checks and the compose test
# run the images under rootful Podman). Everything
# else (Envoy, the Go tools, npm and PyPI packages) the scripts install into .tools/ themselves.
#
# Sourced: `prereqs_check WHO` prints one line per missing prerequisite, naming it and how to
# get it, and exits 1 if any is missing; `prereqs_install` installs the missing ones with
# apt-get (what .ci/run does on a clean machine), then checks.
# Run: scripts/lib/prereqs.sh [--install]   (check, or install then check)

_prereqs_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$_prereqs_dir/versions.sh"
source "$_prereqs_dir/require-node.sh"

# Each prerequisite: name|Debian packages|test (a bash expression that succeeds when present).
_prereqs_list() {
  local chromium="${CHROMIUM_BIN:-/usr/bin/chromium}"
  cat <<LIST
JDK 17 or newer (java and javac)|openjdk-17-jdk-headless|_prereqs_jdk
python3|python3|command -v python3
pip for python3|python3-pip|python3 -m pip --version
Go (installs grpc-health-probe, Vegeta, kubeconform, kustomize from the Go module proxy)|golang-go|command -v go
curl|curl|command -v curl
Node.js >= $(pinned NODE_MIN_VERSION) and npm (the dashboard)|nodejs npm|_prereqs_node
Chromium at $chromium (the dashboard browser test; or set CHROMIUM_BIN)|chromium|test -x "$chromium"
mmdebstrap (the container images' base from Debian packages)|mmdebstrap|command -v mmdebstrap
Podman (image checks and the compose test run the images under it)|podman|command -v podman
runc (Podman's runtime here: crun refuses this machine's cgroup v1; images/podman/containers.conf)|runc|command -v runc || test -x /usr/sbin/runc
LIST
}

_prereqs_jdk() {
  command -v java && command -v javac || return 1
  local major
  major="$(javac -version 2>&1 | sed -n 's/^javac \([0-9]*\).*/\1/p')"
  [[ -n "$major" && "$major" -ge 17 ]]
}

_prereqs_node() {
  command -v node && command -v npm && node_at_least "$(pinned NODE_MIN_VERSION)"
}

# Prints the Debian packages of the missing prerequisites, or one line per missing one (with
# WHO as prefix) when $2 is "report". Returns 1 if any is missing.
_prereqs_scan() {
  local who="$1" mode="$2" name packages check missing=0
  while IFS='|' read -r name packages check; do
    if ! eval "$check" >/dev/null 2>&1; then
      missing=1
      if [[ "$mode" == report ]]; then
        echo "$who: missing $name (Debian: apt-get install -y $packages; or scripts/lib/prereqs.sh --install)" >&2
      else
        echo "$packages"
      fi
    fi
  done < <(_prereqs_list)
  if [[ "$(id -u)" != 0 ]]; then
    missing=1
    [[ "$mode" == report ]] && echo "$who: must run as root (the image checks and the compose test run rootful Podman)" >&2
  fi
  return "$missing"
}

prereqs_check() {
  local who="${1:-prereqs}"
  if ! _prereqs_scan "$who" report; then
    echo "$who: stopped before the first test: install the above (see README, Two commands)" >&2
    exit 1
  fi
}

prereqs_install() {
  local packages
  packages="$(_prereqs_scan prereqs list | tr '\n' ' ' || true)"
  if [[ -n "${packages// /}" ]]; then
    if ! command -v apt-get >/dev/null 2>&1; then
      echo "prereqs: cannot install $packages(no apt-get)" >&2
      exit 1
    fi
    echo "prereqs: installing $packages" >&2
    # shellcheck disable=SC2086 # one word per package
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages >/dev/null
  fi
  prereqs_check prereqs
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  case "${1:-}" in
    "") prereqs_check prereqs; echo "prereqs: all present" ;;
    --install) prereqs_install; echo "prereqs: all present" ;;
    *) echo "usage: scripts/lib/prereqs.sh [--install]" >&2; exit 2 ;;
  esac
fi
