#!/usr/bin/env bash
# A demo with no BytePlus key: the ModelArk simulator as upstream, arkgate in front of it, and a
# local MLflow server when `mlflow` is on PATH (or the test venv exists). Prints what to open;
# Ctrl-C stops everything it started.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_node
ensure_dependencies
log "building"
(cd "$ROOT" && npm run --silent build >/dev/null)

SIMULATOR_PORT="${SIMULATOR_PORT:-4010}"
PORT="${PORT:-3000}"
MLFLOW_PORT="${MLFLOW_PORT:-5000}"
DEMO_KEY="${DEMO_KEY:-sk-demo}"
DATA="$ROOT/.cache/demo"
mkdir -p "$DATA"
pids=()
# Each piece runs in its own process group (setsid), so stopping it stops its children too
# (MLflow's server starts uvicorn and job runners).
cleanup() { for pid in "${pids[@]}"; do kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for pair in "PORT:$PORT" "SIMULATOR_PORT:$SIMULATOR_PORT" "MLFLOW_PORT:$MLFLOW_PORT"; do
  if port_in_use "${pair#*:}"; then
    log "port ${pair#*:} is already in use; stop what listens there or choose another with ${pair%%:*}=..."
    exit 1
  fi
done

MLFLOW_BIN="$(command -v mlflow || true)"
[ -z "$MLFLOW_BIN" ] && [ -x "$ROOT/.cache/mlflow-venv/bin/mlflow" ] && MLFLOW_BIN="$ROOT/.cache/mlflow-venv/bin/mlflow"
if [ -n "$MLFLOW_BIN" ]; then
  log "starting MLflow on 127.0.0.1:$MLFLOW_PORT (SQLite in $DATA)"
  (cd "$DATA" && MLFLOW_MODEL_CATALOG_URI='' exec setsid "$MLFLOW_BIN" server --host 127.0.0.1 \
    --port "$MLFLOW_PORT" --backend-store-uri "sqlite:///$DATA/mlflow.db" --workers 1 \
    >"$DATA/mlflow.log" 2>&1) &
  pids+=($!)
else
  log "mlflow is not on PATH: traces are recorded but wait for an MLflow at http://127.0.0.1:$MLFLOW_PORT"
fi

log "starting the ModelArk simulator on 127.0.0.1:$SIMULATOR_PORT"
SIMULATOR_PORT="$SIMULATOR_PORT" SIMULATOR_TOKEN_DELAY_MS="${SIMULATOR_TOKEN_DELAY_MS:-40}" \
  setsid node "$ROOT/dist/simulator/main.js" >"$DATA/simulator.log" 2>&1 &
pids+=($!)
wait_for() { # url, name, log file
  for _ in $(seq 1 100); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.2; done
  log "$2 did not start:"; tail -5 "$3" >&2; exit 1
}
wait_for "http://127.0.0.1:$SIMULATOR_PORT/__simulator/health" "the simulator" "$DATA/simulator.log"

log "starting arkgate on :$PORT"
PORT="$PORT" ARK_API_KEY=simulator ARK_BASE_URL="http://127.0.0.1:$SIMULATOR_PORT/api/v3" \
  ARK_DEFAULT_MODEL="${ARK_DEFAULT_MODEL:-seed-1-6-250615}" GATEWAY_API_KEYS="demo:$DEMO_KEY" \
  GATEWAY_TOKEN_SECRET="${GATEWAY_TOKEN_SECRET:-demo-token-secret-demo-token-secret}" \
  MLFLOW_TRACKING_URI="http://127.0.0.1:$MLFLOW_PORT" MLFLOW_UI_URL="http://localhost:$MLFLOW_PORT" \
  MLFLOW_EXPERIMENT_NAME="${MLFLOW_EXPERIMENT_NAME:-BytePlus}" \
  REDIS_URL="${REDIS_URL:-}" LOG_LEVEL="${LOG_LEVEL:-warn}" setsid node "$ROOT/dist/main.js" &
pids+=($!)
wait_for "http://127.0.0.1:$PORT/health/live" "arkgate" /dev/null
kill -0 "${pids[-1]}" 2>/dev/null || { log "arkgate exited during startup"; exit 1; }

cat <<MSG

  playground  http://localhost:$PORT/playground  (API key: $DEMO_KEY)
  API docs    http://localhost:$PORT/docs
  MLflow      http://localhost:$MLFLOW_PORT       (experiment "${MLFLOW_EXPERIMENT_NAME:-BytePlus}", Traces tab)
  upstream    the ModelArk simulator at http://127.0.0.1:$SIMULATOR_PORT/api/v3

  Try:
    curl -s localhost:$PORT/v1/chat/completions -H 'authorization: Bearer $DEMO_KEY' \\
      -H 'content-type: application/json' -H 'x-session-id: demo' \\
      -d '{"messages":[{"role":"user","content":"Hello arkgate"}]}'
    curl -sN localhost:$PORT/v1/chat/stream -H 'authorization: Bearer $DEMO_KEY' \\
      -H 'content-type: application/json' -d '{"input":"Stream me a story"}'

  Ctrl-C stops everything.
MSG
wait
