#!/usr/bin/env bash
# The whole stack on one machine with nothing set up: arkgate, a local MLflow 3.18 (installed into
# .cache/mlflow-venv on first use) and, unless a real ARK_API_KEY is in the environment, the
# ModelArk simulator as upstream. Waits until each answers, then prints what to open and two calls
# that work as printed. Ctrl-C, or any of its processes ending, stops everything it started.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_node
ensure_dependencies
ensure_build
ensure_curl || exit 1

SIMULATOR_PORT="${SIMULATOR_PORT:-4010}"
PORT="${PORT:-3000}"
MLFLOW_PORT="${MLFLOW_PORT:-5000}"
DEMO_KEY="${DEMO_KEY:-sk-demo}"
# MLflow's SQLite store, the spool and the logs (DEMO_DATA_DIR to keep them elsewhere).
DATA="${DEMO_DATA_DIR:-$ROOT/.cache/demo}"
mkdir -p "$DATA"
# A real key means BytePlus itself (ARK_BASE_URL, default the ap-southeast region).
USE_SIMULATOR=1
[[ -n "${ARK_API_KEY:-}" && "${ARK_API_KEY}" != "simulator" ]] && USE_SIMULATOR=0

pids=()
# Each piece runs in its own process group (setsid), so stopping it stops its children too
# (MLflow's server starts uvicorn workers).
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null
}
trap 'cleanup; exit 130' INT TERM
trap cleanup EXIT

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
ports=("PORT:$PORT" "MLFLOW_PORT:$MLFLOW_PORT")
[[ $USE_SIMULATOR == 1 ]] && ports+=("SIMULATOR_PORT:$SIMULATOR_PORT")
for pair in "${ports[@]}"; do
  if port_in_use "${pair#*:}"; then
    log "port ${pair#*:} is already in use; stop what listens there or choose another with ${pair%%:*}=..."
    exit 1
  fi
done

wait_for() { # url, name, log file, tries of 0.2 s
  for _ in $(seq 1 "${4:-150}"); do
    curl -sf "$1" >/dev/null 2>&1 && return 0
    kill -0 "${pids[-1]}" 2>/dev/null || break
    sleep 0.2
  done
  log "$2 did not start:"
  tail -15 "$3" >&2
  exit 1
}

if [[ -z "${MLFLOW_BIN:-}" ]]; then
  log "preparing MLflow (installed into .cache/mlflow-venv the first time: a few minutes)"
  MLFLOW_BIN="$("$ROOT/scripts/mlflow-venv.sh")/bin/mlflow" || { log "MLflow could not be installed"; exit 1; }
fi
log "starting MLflow on 127.0.0.1:$MLFLOW_PORT (SQLite in $DATA)"
(cd "$DATA" && MLFLOW_MODEL_CATALOG_URI='' MLFLOW_SERVER_ENABLE_JOB_EXECUTION=false exec setsid \
  "$MLFLOW_BIN" server --host 127.0.0.1 --port "$MLFLOW_PORT" \
  --backend-store-uri "sqlite:///$DATA/mlflow.db" --workers 1 >"$DATA/mlflow.log" 2>&1) &
pids+=($!)
wait_for "http://127.0.0.1:$MLFLOW_PORT/health" "MLflow" "$DATA/mlflow.log" 600

if [[ $USE_SIMULATOR == 1 ]]; then
  log "starting the ModelArk simulator on 127.0.0.1:$SIMULATOR_PORT"
  SIMULATOR_PORT="$SIMULATOR_PORT" SIMULATOR_TOKEN_DELAY_MS="${SIMULATOR_TOKEN_DELAY_MS:-40}" \
    setsid node "$ROOT/dist/simulator/main.js" >"$DATA/simulator.log" 2>&1 &
  pids+=($!)
  wait_for "http://127.0.0.1:$SIMULATOR_PORT/__simulator/health" "the simulator" "$DATA/simulator.log"
  ARK_API_KEY=simulator
  ARK_BASE_URL="http://127.0.0.1:$SIMULATOR_PORT/api/v3"
  UPSTREAM="the ModelArk simulator at $ARK_BASE_URL"
else
  ARK_BASE_URL="${ARK_BASE_URL:-https://ark.ap-southeast.bytepluses.com/api/v3}"
  UPSTREAM="BytePlus ModelArk at $ARK_BASE_URL"
fi

log "starting arkgate on :$PORT"
PORT="$PORT" ARK_API_KEY="$ARK_API_KEY" ARK_BASE_URL="$ARK_BASE_URL" \
  ARK_DEFAULT_MODEL="${ARK_DEFAULT_MODEL:-seed-1-6-250615}" GATEWAY_API_KEYS="demo:$DEMO_KEY" \
  GATEWAY_TOKEN_SECRET="${GATEWAY_TOKEN_SECRET:-demo-token-secret-demo-token-secret}" \
  PLAYGROUND_KEY_HINT="$DEMO_KEY" \
  MLFLOW_TRACKING_URI="http://127.0.0.1:$MLFLOW_PORT" MLFLOW_UI_URL="http://localhost:$MLFLOW_PORT" \
  MLFLOW_EXPERIMENT_NAME="${MLFLOW_EXPERIMENT_NAME:-BytePlus}" EXPORT_SPOOL_DIR="$DATA/spool" \
  REDIS_URL="${REDIS_URL:-}" LOG_LEVEL="${LOG_LEVEL:-warn}" NODE_OPTIONS="$(arkgate_node_options)" \
  setsid node "$ROOT/dist/main.js" >"$DATA/arkgate.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$PORT/health/live" "arkgate" "$DATA/arkgate.log"

cat <<MSG

  playground  http://localhost:$PORT/playground  (API key: $DEMO_KEY)
  API docs    http://localhost:$PORT/docs         (Authorize with $DEMO_KEY)
  MLflow      http://localhost:$MLFLOW_PORT       (experiment "${MLFLOW_EXPERIMENT_NAME:-BytePlus}", Traces tab)
  upstream    $UPSTREAM
  logs        $DATA/{arkgate,mlflow,simulator}.log

  Try:
    curl -s localhost:$PORT/v1/chat/completions -H 'authorization: Bearer $DEMO_KEY' \\
      -H 'content-type: application/json' -H 'x-session-id: demo' \\
      -d '{"messages":[{"role":"user","content":"Hello arkgate"}]}'
    curl -sN localhost:$PORT/v1/chat/stream -H 'authorization: Bearer $DEMO_KEY' \\
      -H 'content-type: application/json' -d '{"input":"Stream me a story"}'

  Ctrl-C stops everything.
MSG
# Any piece ending (killed, crashed) ends the demo, and cleanup stops the others.
wait -n "${pids[@]}" || true
log "a demo process exited; stopping the rest"
