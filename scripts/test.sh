#!/usr/bin/env bash
# Sets up everything a fresh machine lacks (Node 24, npm packages, redis-server, chromium, the
# MLflow venv), then runs lint, type check, build and every test suite (unit, e2e, integration
# against a redis-server and an MLflow server the tests start themselves, browser tests in headless
# chromium). Ends with
# "N passed, N failed"; exits non-zero on any failure.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
set +e

ensure_node || exit 1
ensure_dependencies || exit 1
ensure_redis_server || exit 1
ensure_chromium || exit 1
ensure_curl || exit 1
ensure_deploy_check_tools || exit 1
# The scale-out test runs two MLflow servers over a database of its own on the machine's
# PostgreSQL (127.0.0.1:5432, trust auth); it needs the client to create and drop it.
ensure_debian_command psql postgresql-client || exit 1
log "preparing the MLflow venv"
MLFLOW_VENV="$("$ROOT/scripts/mlflow-venv.sh")" || { log "MLflow venv setup failed"; exit 1; }
export MLFLOW_VENV
log "preparing the venv of the oldest supported MLflow"
MLFLOW_OLDEST_VENV="$("$ROOT/scripts/mlflow-venv.sh" 3.8.1)" || { log "MLflow 3.8.1 venv setup failed"; exit 1; }
export MLFLOW_OLDEST_VENV

cd "$ROOT"
RESULTS="$ROOT/.cache/test-results"
rm -rf "$RESULTS" && mkdir -p "$RESULTS"
step_failures=0

step() {
  local name="$1"; shift
  log "$name"
  if ! "$@"; then
    log "$name FAILED"
    step_failures=$((step_failures + 1))
  fi
}

jest_suite() {
  local project="$1"; shift
  node --experimental-vm-modules --disable-warning=ExperimentalWarning node_modules/jest/bin/jest.js \
    --selectProjects "$project" --json --outputFile="$RESULTS/$project.json" "$@"
}

step "lint" npm run --silent lint
step "type check" npm run --silent typecheck
step "build" npm run --silent build
step "unit tests" jest_suite unit
step "e2e tests" jest_suite e2e
step "integration tests" jest_suite integration --runInBand
step "browser tests" jest_suite browser --runInBand

node -e '
const fs = require("fs");
const dir = process.argv[1];
let passed = 0, failed = 0;
for (const file of fs.readdirSync(dir)) {
  const r = JSON.parse(fs.readFileSync(`${dir}/${file}`, "utf8"));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  // A suite that failed to load has no failed test of its own: count it as one failure.
  failed += r.testResults.filter((s) => s.status === "failed" && !s.assertionResults.some((a) => a.status === "failed")).length;
  console.error(`${file.replace(".json", "")}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numFailedTestSuites} suite(s) failed`);
}
fs.writeFileSync(`${dir}/totals`, `${passed} ${failed}`);
' "$RESULTS"
read -r passed failed < "$RESULTS/totals"
failed=$((failed + step_failures))
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
