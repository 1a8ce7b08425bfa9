#!/usr/bin/env bash
# Builds arkgate when dist/ is missing or older than src/, then starts it (the API, with the
# export worker in-process). Configuration comes from the environment; see the README.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_node
ensure_dependencies
cd "$ROOT"
if [[ ! -f dist/main.js ]] || [[ -n "$(find src -name '*.ts' ! -name '*.spec.ts' -newer dist/main.js -print -quit)" ]]; then
  log "building"
  npm run --silent build >/dev/null
fi
exec node dist/main.js
