# Sourced by run-local.sh and test.sh: fails with a clear message unless Node.js >= 20.19 and
# npm are installed (the dashboard's Vite build needs them). $1 names the caller in messages.
require_node() {
  local who="$1"
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "$who: Node.js >= 20.19 and npm are needed for the dashboard (Debian: apt-get install nodejs npm; or https://nodejs.org)" >&2
    exit 1
  fi
  if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
    echo "$who: the dashboard needs Node.js >= 20.19 (found $(node --version))" >&2
    exit 1
  fi
}
