#!/usr/bin/env bash
# npm run bench: builds dist/ when it is missing or older than src/, then runs bench/main.ts.
# Quick smoke run: BENCH_QUICK=1 npm run bench. Every BENCH_* variable is read in bench/config.ts.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$PWD/.tools/node_modules/.bin:$PWD/node_modules/.bin:$PATH"

stale() {
  [[ ! -f dist/main.js || ! -f dist/worker.js ]] ||
    [[ -n "$(find src -name '*.ts' ! -name '*.spec.ts' -newer dist/main.js -print -quit)" ]]
}

if [[ "${BENCH_SKIP_BUILD:-}" != "1" ]] && stale; then
  echo "bench: dist/ is missing or older than src/, running npm run build" >&2
  npm run build >&2
fi

# A private copy of dist/, so a rebuild by someone else (nest build deletes dist/ first) cannot pull
# files from under the running arkgate processes. Inside the repo, so node_modules still resolves.
SNAPSHOT=.cache/bench
rm -rf "$SNAPSHOT" && mkdir -p "$SNAPSHOT" && cp -a dist "$SNAPSHOT/dist" && cp package.json "$SNAPSHOT/"
export BENCH_DIST_DIR="${BENCH_DIST_DIR:-$PWD/$SNAPSHOT/dist}"

# 128 client connections, 256 held streams and their upstream sockets, in one process each.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

exec node -r ts-node/register/transpile-only bench/main.ts "$@"
