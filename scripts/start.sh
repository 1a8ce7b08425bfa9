#!/usr/bin/env bash
# Builds arkgate when dist/ is missing or older than src/, then starts it (the API, with the
# export worker in-process). Configuration comes from the environment; see the README.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_node
ensure_dependencies
ensure_build
cd "$ROOT"
NODE_OPTIONS="$(arkgate_node_options)" exec node dist/main.js
