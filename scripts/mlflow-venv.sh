#!/usr/bin/env bash
# Creates (once) the Python venv holding the MLflow server the integration tests run against,
# and prints its path on stdout (progress goes to stderr). Reused while its mlflow reports the
# pinned version; an interrupted install is rebuilt from scratch.
set -euo pipefail

# The version the tests and the bench run against; `scripts/mlflow-venv.sh 3.8.1` makes a venv of
# another one (the oldest supported) beside it.
DEFAULT_VERSION="3.18.0"
MLFLOW_VERSION="${1:-$DEFAULT_VERSION}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ "$MLFLOW_VERSION" == "$DEFAULT_VERSION" ]]; then
  VENV="${MLFLOW_VENV:-$REPO_ROOT/.cache/mlflow-venv}"
else
  VENV="$REPO_ROOT/.cache/mlflow-venv-$MLFLOW_VERSION"
fi
PYTHON="${PYTHON:-python3}"

# mlflow-skinny's own requirements. Used only when the index serves the `mlflow` wheel but not the
# matching mlflow-skinny / mlflow-tracing wheels (seen for 3.18.0): the full `mlflow` wheel already
# contains every module of those two, so it is installed without them and their deps added here.
SKINNY_REQUIREMENTS=(
  'anyio!=4.15.0,<5,>=3.6.2' 'cachetools<8,>=5.0.0' 'click<9,>=7.0' 'cloudpickle<4'
  'databricks-sdk<1,>=0.20.0' 'fastapi<1' 'gitpython<4,>=3.1.9' 'importlib_metadata!=4.7.0,<10,>=3.7.0'
  'opentelemetry-api<3,>=1.9.0' 'opentelemetry-proto<3,>=1.9.0' 'opentelemetry-sdk<3,>=1.9.0'
  'packaging<27' 'protobuf<8,>=3.12.0' 'pydantic<3,>=2.0.0' 'python-dotenv<2,>=0.19.0'
  'pyyaml<7,>=5.1' 'requests<3,>=2.17.3' 'sqlparse<1,>=0.4.0' 'starlette<2'
  'typing-extensions<5,>=4.0.0' 'uvicorn<1'
)

log() { echo "mlflow-venv: $*" >&2; }

installed_version() {
  "$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("mlflow"))' 2>/dev/null || true
}

works() {
  [[ -x "$VENV/bin/mlflow" ]] && "$VENV/bin/mlflow" --version 2>/dev/null | grep -q "$MLFLOW_VERSION"
}

# Quiet on success; on failure the ERROR lines go to stderr and the full log stays in the venv.
pip_install() {
  local log="$VENV/pip-install.log"
  if "$VENV/bin/python" -m pip install --disable-pip-version-check "$@" >"$log" 2>&1; then
    return 0
  fi
  grep -E '^ERROR' "$log" >&2 || true
  log "pip install $* failed (full log: $log)"
  return 1
}

# The same, silent on failure too: for an attempt that has a fallback.
pip_try() {
  "$VENV/bin/python" -m pip install --disable-pip-version-check "$@" >"$VENV/pip-try.log" 2>&1
}

# The PostgreSQL driver, for benchmarks and tests against MLflow on a PostgreSQL store.
ensure_postgres_driver() {
  "$VENV/bin/python" -c 'import psycopg' 2>/dev/null || pip_install 'psycopg[binary]<4'
}

# The OpenAI Python SDK, for tests that call arkgate the way Python applications do.
ensure_openai_sdk() {
  "$VENV/bin/python" -c 'import openai' 2>/dev/null || pip_install 'openai>=2,<4'
}

ensure_extras() {
  ensure_postgres_driver
  [[ "$MLFLOW_VERSION" != "$DEFAULT_VERSION" ]] || ensure_openai_sdk
}

if works; then
  ensure_extras
  echo "$VENV"
  exit 0
fi

if [[ -d "$VENV" ]]; then
  log "rebuilding $VENV (found mlflow '$(installed_version)')"
  rm -rf "$VENV"
fi

log "creating $VENV with mlflow $MLFLOW_VERSION (takes a few minutes)"
mkdir -p "$(dirname "$VENV")"
"$PYTHON" -m venv "$VENV" >&2
pip_install --upgrade pip
if [[ "$MLFLOW_VERSION" != "$DEFAULT_VERSION" ]]; then
  # Older releases predate SQLAlchemy 2.1, which dropped a pool class their store imports.
  printf 'sqlalchemy<2.1\n' >"$VENV/constraints.txt"
  export PIP_CONSTRAINT="$VENV/constraints.txt"
fi

if ! pip_try "mlflow==$MLFLOW_VERSION"; then
  log "the index lacks mlflow $MLFLOW_VERSION's split packages (mlflow-skinny, mlflow-tracing);" \
    "installing the full wheel with their requirements instead (see $VENV/pip-try.log)"
  pip_install --no-deps "mlflow==$MLFLOW_VERSION"
  mapfile -t SERVER_REQUIREMENTS < <("$VENV/bin/python" - <<'PY'
import importlib.metadata as m
for req in m.requires("mlflow") or []:
    spec, _, marker = req.partition(";")
    if "extra ==" in marker or spec.strip().lower().startswith(("mlflow-skinny", "mlflow-tracing")):
        continue
    if "Windows" in marker and "!=" not in marker:
        continue
    print(spec.strip())
PY
  )
  pip_install "${SERVER_REQUIREMENTS[@]}" "${SKINNY_REQUIREMENTS[@]}"
fi

if ! works; then
  log "expected mlflow $MLFLOW_VERSION in $VENV, got '$(installed_version)'"
  exit 1
fi
ensure_extras
echo "$VENV"
