#!/usr/bin/env bash
# Schema-driven fuzz run: builds arkgate, starts it in front of the ModelArk simulator and lets
# schemathesis generate requests from arkgate's own OpenAPI document (/docs-json). Fails on any
# 5xx, on responses that break the document where that is checked, and if arkgate is not alive
# and answering /health/live afterwards.
#   FUZZ_MAX_EXAMPLES  test cases per operation (default 50: about 30 s plus the build)
#   FUZZ_SEED          schemathesis seed (default 1, so a run is reproducible)
#   FUZZ_SKIP_BUILD=1  use the dist/ already built
#   FUZZ_VENV          where the schemathesis venv lives (default .cache/fuzz-venv)
set -euo pipefail

SCHEMATHESIS_VERSION="4.32.5"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${FUZZ_VENV:-$ROOT/.cache/fuzz-venv}"
PYTHON="${PYTHON:-python3}"
MAX_EXAMPLES="${FUZZ_MAX_EXAMPLES:-50}"
SEED="${FUZZ_SEED:-1}"
CLIENT_KEY="sk-fuzz-0123456789abcdef"
WORK="$(mktemp -d)"
PIDS=()

log() { echo "fuzz: $*" >&2; }

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

ensure_venv() {
  if [[ -x "$VENV/bin/schemathesis" ]] &&
    "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
    return 0
  fi
  log "creating $VENV with schemathesis $SCHEMATHESIS_VERSION"
  rm -rf "$VENV"
  mkdir -p "$(dirname "$VENV")"
  "$PYTHON" -m venv "$VENV" >&2
  if ! "$VENV/bin/python" -m pip install --disable-pip-version-check \
    "schemathesis==$SCHEMATHESIS_VERSION" >"$WORK/pip.log" 2>&1; then
    grep -E '^ERROR' "$WORK/pip.log" >&2 || true
    rm -rf "$VENV"
    log "pip install schemathesis==$SCHEMATHESIS_VERSION failed"
    return 1
  fi
}

free_port() {
  "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Stands in for MLflow: /health answers 200, a registry search finds nothing (an empty registry),
# and every other API call 404 RESOURCE_DOES_NOT_EXIST, so prompts resolve to "not found" and
# exports retry quietly instead of failing the run with 503s.
start_mlflow_stub() {
  "$PYTHON" - "$1" <<'PY' >"$WORK/mlflow-stub.log" 2>&1 &
import http.server, json, sys

class Stub(http.server.BaseHTTPRequestHandler):
    def answer(self):
        length = int(self.headers.get("content-length") or 0)
        if length:
            self.rfile.read(length)
        path = self.path.split("?")[0]
        if path == "/health":
            status, body = 200, b"OK"
        elif path.endswith("/registered-models/search"):
            status, body = 200, b"{}"
        else:
            status = 404
            body = json.dumps({"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "fuzz stub"}).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = answer

    def log_message(self, *args):
        pass

http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Stub).serve_forever()
PY
  PIDS+=("$!")
}

wait_http() {
  local url="$1" name="$2" pid="$3"
  for _ in $(seq 1 150); do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "$name exited during startup"
      return 1
    fi
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  log "$name did not answer $url"
  return 1
}

dump_logs() {
  log "last lines of the simulator and arkgate logs:"
  tail -n 20 "$WORK/simulator.log" "$WORK/mlflow-stub.log" >&2 || true
  # Exports and feedback fail against the stub by design; errors and crashes are what matter here.
  grep -v -e '^{"level":[34]0,' -e '"context":"InProcess' "$WORK/arkgate.log" | tail -n 40 >&2 || true
}

ensure_venv
cd "$ROOT"
if [[ "${FUZZ_SKIP_BUILD:-}" != "1" ]]; then
  log "building"
  npm run --silent build >&2
fi

SIM_PORT="$(free_port)"
SIMULATOR_HOST=127.0.0.1 SIMULATOR_PORT="$SIM_PORT" node dist/simulator/main.js >"$WORK/simulator.log" 2>&1 &
SIM_PID=$!
PIDS+=("$SIM_PID")

MLFLOW_PORT="$(free_port)"
start_mlflow_stub "$MLFLOW_PORT"
wait_http "http://127.0.0.1:$MLFLOW_PORT/health" "MLflow stub" "${PIDS[-1]}" || { dump_logs; exit 1; }

APP_PORT="$(free_port)"
env -u REDIS_URL \
  HOST=127.0.0.1 PORT="$APP_PORT" LOG_LEVEL=warn \
  ARK_API_KEY=ark-fuzz-upstream-key ARK_BASE_URL="http://127.0.0.1:$SIM_PORT/api/v3" \
  ARK_DEFAULT_MODEL=seed-1-6-250615 ARK_MAX_RETRIES=0 ARK_TIMEOUT_MS=10000 \
  GATEWAY_API_KEYS="fuzz:$CLIENT_KEY" GATEWAY_TOKEN_SECRET=fuzz-token-secret-at-least-32-characters \
  RATE_LIMIT_RPM=1000000 \
  TRACING_ENABLED=true MLFLOW_TRACKING_URI="http://127.0.0.1:$MLFLOW_PORT" \
  node dist/main.js >"$WORK/arkgate.log" 2>&1 &
APP_PID=$!
PIDS+=("$APP_PID")

wait_http "http://127.0.0.1:$SIM_PORT/api/v3/models" simulator "$SIM_PID" || { dump_logs; exit 1; }
wait_http "http://127.0.0.1:$APP_PORT/health/live" arkgate "$APP_PID" || { dump_logs; exit 1; }

# Checks: no 5xx, documented status codes and content types, and JSON bodies matching their
# schema (SSE answers have no JSON schema to match, so only the first three apply to them). The
# feedback route answers 202 before MLflow is involved, so the stub is enough for it.
log "schemathesis $SCHEMATHESIS_VERSION, $MAX_EXAMPLES examples per operation, seed $SEED"
status=0
# Python 3.11.7's ast.parse can fail with "AST constructor recursion depth mismatch" when Hypothesis
# parses a module to describe a lambda deep inside schemathesis' recursive generators; parsing
# schemathesis' modules into Hypothesis' cache first, at a shallow depth, avoids it.
# Run from the temp dir: schemathesis keeps a .schemathesis/ folder in its working directory.
(cd "$WORK" && "$VENV/bin/python" - \
  run "http://127.0.0.1:$APP_PORT/docs-json" \
  --url "http://127.0.0.1:$APP_PORT" \
  --header "Authorization: Bearer $CLIENT_KEY" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --phases examples,coverage,fuzzing \
  --max-examples "$MAX_EXAMPLES" \
  --seed "$SEED" \
  --workers 2 \
  --request-timeout 15 \
  --suppress-health-check all \
  --no-color \
  --report junit --report-junit-path "$ROOT/.cache/fuzz-junit.xml" <<'PY'
import ast, inspect, sys
from hypothesis.internal import lambda_sources
import schemathesis.generation.jsonschema.strategy  # noqa: F401 (the module Hypothesis parses)
from schemathesis.cli import schemathesis

lambda_sources.AST_LAMBDAS_CACHE = {}  # unbounded: its default LRU keeps only 100 modules
for name, module in list(sys.modules.items()):
    if name.startswith("schemathesis") and getattr(module, "__file__", None):
        try:
            lines = tuple(inspect.findsource(module)[0])
            tree = ast.parse("".join(lines))
        except (OSError, SyntaxError, TypeError):
            continue
        lambda_sources.AST_LAMBDAS_CACHE[lines] = lambda_sources.extract_all_lambdas(tree)
sys.argv[0] = "schemathesis"
schemathesis()
PY
) || status=$?

if ! kill -0 "$APP_PID" 2>/dev/null; then
  log "arkgate is not running after the fuzz run"
  dump_logs
  exit 1
fi
live="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$APP_PORT/health/live" || true)"
if [[ "$live" != "200" ]]; then
  log "/health/live answered $live after the fuzz run"
  dump_logs
  exit 1
fi
if [[ "$status" -ne 0 ]]; then
  dump_logs
  log "schemathesis failed (exit $status)"
  exit "$status"
fi
log "passed; arkgate alive and /health/live 200"
