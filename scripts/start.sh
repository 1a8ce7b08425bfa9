#!/usr/bin/env bash
# Builds and starts arkgate (the API, with the export worker in-process). Configuration comes
# from the environment; see the README for every variable.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_node
ensure_dependencies
log "building"
(cd "$ROOT" && npm run --silent build >/dev/null)
cd "$ROOT"
exec node dist/main.js
