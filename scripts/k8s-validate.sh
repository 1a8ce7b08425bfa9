#!/usr/bin/env bash
# Checks the Kubernetes manifests of deploy/k8s (or of the folders given). Each object against the
# Kubernetes API's JSON schemas with kubernetes-validate in strict mode (an unknown field is an
# error, so is a kind or apiVersion the schemas lack), for every version in K8S_VERSIONS (default
# 1.30, the oldest these manifests are meant for, and 1.37, the newest schemas the pinned validator
# bundles); then whether the objects fit together (scripts/k8s-check-refs.py). kustomization.yaml
# is kustomize's file, not an API object: only its list of resources is checked. Installs the
# checkers into .cache/ on first use. Exits non-zero on any problem.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_deploy_check_tools
VENV="$(deploy_check_venv)"
read -r -a versions <<<"${K8S_VERSIONS:-1.30 1.37}"
[ "$#" -gt 0 ] || set -- "$ROOT/deploy/k8s"

failed=0
for folder in "$@"; do
  mapfile -t manifests < <(find "$folder" -maxdepth 1 -type f \( -name '*.yaml' -o -name '*.yml' \) \
    ! -name 'kustomization.y*ml' | sort)
  if [ "${#manifests[@]}" -eq 0 ]; then
    echo "ERROR $folder: no manifests"
    failed=1
    continue
  fi
  for version in "${versions[@]}"; do
    # kubernetes-validate only warns (and exits 0) for a kind it has no schema for: a typo there
    # would pass, so a WARN line counts as a failure too.
    status=0
    output="$("$VENV/bin/kubernetes-validate" --strict -k "$version" "${manifests[@]}" 2>&1)" || status=$?
    printf '%s\n' "$output"
    if [ "$status" -ne 0 ] || grep -qv '^INFO ' <<<"$output"; then failed=1; fi
  done
  "$VENV/bin/python" "$ROOT/scripts/k8s-check-refs.py" "$folder" || failed=1
done

if [ "$failed" -eq 0 ]; then
  echo "k8s manifests valid (strict) against Kubernetes ${versions[*]}"
else
  echo "k8s manifests INVALID"
fi
exit "$failed"
