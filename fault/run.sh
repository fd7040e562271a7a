#!/usr/bin/env bash
# The fault suite of issue 13, one command: fault/run.sh [--quick | --list | SCENARIO ...]
# Builds the jar, then for each scenario starts a fresh stack of its own (target/stack-faults) and
# the packaged service (JVM, prod profile; two instances for rolling-restart and scale-down; for roles-apart seven,
# each running only its role: 1 command, 2 relays, 2 projectors, 2 query), runs a mixed load of
# 40 commands/s (roles-apart: 10) of every kind from 4 clients, 20 order reads/s and 8 SSE followers (customers' lists
# and single orders, resuming with Last-Event-ID), each as the caller the access rules expect (customers
# and staff, people of the stack's realm made before the load, their tokens from its Keycloak by the password
# grant and renewed in the background before they expire), injects the scenario's fault through the stack's
# per-server verbs, heals it, and checks convergence against the primary: every acknowledged command
# in its view, every view equal to its order's rows, lists, sales counters, every follower's changes
# exactly once and in order. Loopback only; each scenario is bounded (≈ 2-3 min, redis-down-120s ≈ 4.5).
# redis-cluster-primary-kill forms the stack's Redis Cluster too and runs the service on it.
#   fault/run.sh                 every scenario (≈ 40 min)
#   fault/run.sh redis-down-10s  one scenario by name (several may be named)
#   fault/run.sh --quick         the CI subset: service-kill, redis-down-10s and roles-apart, shorter phases (≈ 6 min of runs)
#   fault/run.sh --list          the scenarios
# Results: target/faults/results.{md,json}, and per scenario target/faults/<scenario>/ (result.json,
# the service logs). Exit 0 when every scenario met every goal, 1 when one missed a goal or broke off.
# Env: FAULTS_SKIP_BUILD=1 reuses the jar and test classes already built.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=target/faults
DIR=target/stack-faults
began=$(date +%s)
log() { printf '[faults %3ds] %s\n' "$(( $(date +%s) - began ))" "$*" >&2; }

case "${1:-}" in
  -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
esac

if [ "${FAULTS_SKIP_BUILD:-0}" != 1 ]; then
  log "building the jar"
  ./mvnw -B -q package -DskipTests
fi
lib=target/quarkus-app/lib/main
# the driver needs JSON and JDBC besides the JDK: the very jars the service runs with
cp=target/test-classes
for jar in "$lib"/com.fasterxml.jackson.core.jackson-core-*.jar "$lib"/com.fasterxml.jackson.core.jackson-databind-*.jar \
           "$lib"/com.fasterxml.jackson.core.jackson-annotations-*.jar "$lib"/org.postgresql.postgresql-*.jar; do
  [ -f "$jar" ] || { log "missing $jar: build first"; exit 1; }
  cp="$cp:$jar"
done

driver_pid=""
cleanup() {
  local status=$?
  # the driver stops its services and stack itself (also on SIGTERM); this is for when it could not
  if [ -n "$driver_pid" ] && kill -0 "$driver_pid" 2>/dev/null; then
    kill "$driver_pid" 2>/dev/null || true
    wait "$driver_pid" 2>/dev/null || true
  fi
  java -cp target/test-classes io.ordersvc.stack.LocalStack down --dir "$DIR" >/dev/null 2>&1 || true
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$OUT"
java -Xmx512m -cp "$cp" io.ordersvc.fault.FaultScenarios --out "$OUT" "$@" &
driver_pid=$!
wait "$driver_pid"
