#!/usr/bin/env bash
# A release, step by step, each waited for within a bound:
#   deploy/k8s/release.sh staging|production
# 1. the Namespace; 2. the settings (and the Secrets made outside these manifests must
# exist); 3. PostgreSQL: Cluster, backups and pooler, until the Cluster is ready;
# 4. the migration Job (migrate_schemas as the owner role), until it completes; a failed
# Job stops the release with its log; 5. everything else, until web, worker and beat
# have rolled out. Steps are picked by the label meldpunt.nl/release-step.
# Argo CD users get the same order from sync waves and the Job's PreSync hook instead.
set -euo pipefail
cd "$(dirname "$0")"
overlay="overlays/${1:?usage: release.sh staging|production}"
CLUSTER_TIMEOUT="${CLUSTER_TIMEOUT:-15m}"
MIGRATE_TIMEOUT_SECONDS="${MIGRATE_TIMEOUT_SECONDS:-1900}"  # the Job's own deadline is 1800 s
ROLLOUT_TIMEOUT="${ROLLOUT_TIMEOUT:-10m}"

fail() {
  echo "release.sh: $*" >&2
  exit 1
}

rendered="$(mktemp)"
trap 'rm -f "$rendered"' EXIT
kubectl kustomize "$overlay" >"$rendered"
namespace="$(awk '/^kind: Namespace$/ {n=1} n && /^  name:/ {print $2; exit}' "$rendered")"
[ -n "$namespace" ] || fail "$overlay renders no Namespace"

apply_step() {
  kubectl apply -f "$rendered" -l "meldpunt.nl/release-step=$1"
}

apply_step namespace
apply_step config
for secret in meldpunt-secrets meldpunt-db-owner meldpunt-db-app meldpunt-redis meldpunt-backup-s3; do
  kubectl -n "$namespace" get secret "$secret" >/dev/null ||
    fail "Secret $secret is missing in $namespace (README: Kubernetes secrets)"
done

apply_step database
kubectl -n "$namespace" wait --for=condition=Ready --timeout="$CLUSTER_TIMEOUT" cluster/meldpunt-db ||
  fail "the PostgreSQL Cluster meldpunt-db is not ready after $CLUSTER_TIMEOUT"

kubectl -n "$namespace" delete job meldpunt-migrate --ignore-not-found --wait --timeout=2m
apply_step migrate
deadline=$((SECONDS + MIGRATE_TIMEOUT_SECONDS))
while :; do
  outcome="$(kubectl -n "$namespace" get job meldpunt-migrate \
    -o jsonpath='{.status.succeeded}/{.status.failed}')"
  case "$outcome" in
    1/*) break ;;
    */[1-9]*)
      kubectl -n "$namespace" logs job/meldpunt-migrate --tail=100 >&2 || true
      fail "the migration Job failed: nothing else was applied" ;;
  esac
  [ "$SECONDS" -lt "$deadline" ] ||
    fail "the migration Job did not finish within $MIGRATE_TIMEOUT_SECONDS s: nothing else was applied"
  sleep 5
done

kubectl apply -f "$rendered"
for workload in deployment/meldpunt-web deployment/meldpunt-worker statefulset/meldpunt-beat; do
  kubectl -n "$namespace" rollout status "$workload" --timeout="$ROLLOUT_TIMEOUT" ||
    fail "$workload did not roll out within $ROLLOUT_TIMEOUT"
done
