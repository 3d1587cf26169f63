#!/usr/bin/env bash
# A release: settings and the migration Job first, then everything else.
#   deploy/k8s/release.sh staging|production
# The Job (migrate_schemas as the owner role) must finish before new pods serve: with
# nothing due it takes seconds, even at a thousand regions. Argo CD users get the same
# order from the Job's PreSync hook annotation instead.
set -euo pipefail
cd "$(dirname "$0")"
overlay="overlays/${1:?usage: release.sh staging|production}"
namespace="$(kubectl kustomize "$overlay" | awk '/^kind: Namespace$/ {n=1} n && /^  name:/ {print $2; exit}')"

kubectl apply -f <(kubectl kustomize "$overlay") -l 'meldpunt.nl/release-step in (config)'
kubectl -n "$namespace" delete job meldpunt-migrate --ignore-not-found --wait
kubectl apply -f <(kubectl kustomize "$overlay") -l 'meldpunt.nl/release-step in (migrate)'
kubectl -n "$namespace" wait --for=condition=complete --timeout=1h job/meldpunt-migrate
kubectl apply -f <(kubectl kustomize "$overlay")
for deployment in meldpunt-web meldpunt-worker meldpunt-beat; do
  kubectl -n "$namespace" rollout status "deployment/$deployment" --timeout=15m
done
