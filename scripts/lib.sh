# Shared by the scripts in this folder: puts Node 24 first on PATH and installs what is missing.
# Sourced, not run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
NODE_MAJOR=24

log() { printf '\033[1m[arkgate]\033[0m %s\n' "$*" >&2; }

# Node 24 from the npm registry into .tools/, so the machine's own Node version does not matter.
ensure_node() {
  local node_bin="$TOOLS/node_modules/.bin/node"
  if [ ! -x "$node_bin" ] || [ "$("$node_bin" -p 'process.versions.node.split(".")[0]')" != "$NODE_MAJOR" ]; then
    if ! command -v npm >/dev/null 2>&1; then
      log "npm not found; installing Debian's nodejs and npm to bootstrap Node $NODE_MAJOR"
      apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
    fi
    log "installing Node $NODE_MAJOR into .tools/"
    mkdir -p "$TOOLS"
    npm install --prefix "$TOOLS" --no-save --no-audit --no-fund "node@$NODE_MAJOR" >/dev/null
  fi
  export PATH="$TOOLS/node_modules/.bin:$ROOT/node_modules/.bin:$PATH"
}

# Installs the locked npm packages when node_modules does not match the lock file. `npm ci` first;
# npm 11.19's ci rejects lock files that lack other platforms' optional packages (which npm itself
# leaves out when it writes the lock), so fall back to an install that does not touch the lock.
ensure_dependencies() {
  local stamp="$ROOT/node_modules/.arkgate-lock"
  if [ ! -f "$stamp" ] || ! cmp -s "$ROOT/package-lock.json" "$stamp"; then
    log "installing npm dependencies"
    (cd "$ROOT" && { npm ci --no-audit --no-fund >/dev/null 2>&1 ||
      npm install --no-save --no-audit --no-fund >/dev/null; })
    cp "$ROOT/package-lock.json" "$stamp"
  fi
}

redis_answers() {
  local host="${1:-127.0.0.1}" port="${2:-6379}"
  if command -v redis-cli >/dev/null 2>&1; then
    redis-cli -h "$host" -p "$port" ping 2>/dev/null | grep -q PONG
  else
    (exec 3<>"/dev/tcp/$host/$port" && printf 'PING\r\n' >&3 && head -c 5 <&3 | grep -q PONG) 2>/dev/null
  fi
}

# A Redis on 127.0.0.1:6379: the one already running, or one started here (Debian's redis-server).
ensure_redis() {
  if redis_answers 127.0.0.1 6379; then return; fi
  if ! command -v redis-server >/dev/null 2>&1; then
    log "installing redis-server (Debian package)"
    apt-get update -qq && apt-get install -y -qq redis-server >/dev/null
  fi
  log "starting redis-server on 127.0.0.1:6379"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no \
    --dir /tmp --logfile /tmp/arkgate-redis.log
  for _ in $(seq 1 50); do redis_answers 127.0.0.1 6379 && return; sleep 0.1; done
  log "redis-server did not start; see /tmp/arkgate-redis.log"
  return 1
}

# Debian's chromium at /usr/bin/chromium (or $CHROMIUM_PATH), for the browser tests (playwright-core).
ensure_chromium() {
  local path="${CHROMIUM_PATH:-/usr/bin/chromium}"
  if [ -x "$path" ]; then return; fi
  log "installing chromium (Debian package)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  if [ ! -x "$path" ]; then
    log "chromium is not at $path after installing it; set CHROMIUM_PATH"
    return 1
  fi
}
