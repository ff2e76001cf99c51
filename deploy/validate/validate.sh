#!/usr/bin/env bash
# Renders deploy/k8s with kustomize and checks it and compose.yaml against their schemas,
# offline once the npm packages are installed (package-lock.json pins them). Called by .ci/run.
# Needs kubectl (its built-in kustomize) and Node.js with npm.
set -euo pipefail
cd "$(dirname "$0")"
root=../..
command -v kubectl >/dev/null || { echo "validate.sh: kubectl (for kustomize) is missing" >&2; exit 1; }
[ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
kubectl kustomize "$root/deploy/k8s/base" > "$out/base.yaml"
kubectl kustomize "$root/deploy/k8s/overlays/production" > "$out/production.yaml"
node validate.mjs "$out/base.yaml" "$out/production.yaml" -- "$root/compose.yaml"
