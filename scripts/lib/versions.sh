# Sourced by the scripts: `pinned NAME` prints NAME's version from versions.env, the one pin
# file. Scripts use it as a default, e.g. ENVOY_VERSION="${ENVOY_VERSION:-$(pinned ENVOY_VERSION)}",
# so a variable set by the caller still wins.
pinned() {
  local file value
  file="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/versions.env"
  value="$(sed -n "s/^$1=//p" "$file")"
  [[ -n "$value" ]] || { echo "versions.env: no $1" >&2; return 1; }
  echo "$value"
}
