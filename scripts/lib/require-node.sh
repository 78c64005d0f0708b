# Sourced by run-local.sh, lint.sh, compose-demo.sh and prereqs.sh: require_node fails with a
# clear message unless Node.js >= NODE_MIN_VERSION (versions.env) and npm are installed (the
# dashboard's Vite build needs them); $1 names the caller in messages. node_at_least X.Y tests.
source "$(dirname "${BASH_SOURCE[0]}")/versions.sh"

# node_at_least X.Y: succeeds when the node on PATH is X.Y or newer.
node_at_least() {
  node -e 'const [a, b] = process.versions.node.split(".").map(Number); const [x, y] = process.argv[1].split(".").map(Number); process.exit(a > x || (a === x && b >= y) ? 0 : 1)' "$1"
}

require_node() {
  local who="$1" floor
  floor="$(pinned NODE_MIN_VERSION)"
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "$who: Node.js >= $floor and npm are needed for the dashboard (Debian: apt-get install nodejs npm; or https://nodejs.org)" >&2
    exit 1
  fi
  if ! node_at_least "$floor"; then
    echo "$who: the dashboard needs Node.js >= $floor (found $(node --version))" >&2
    exit 1
  fi
}
