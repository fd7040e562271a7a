#!/usr/bin/env bash
# How many concurrent SSE streams one service instance holds on this machine, each receiving every
# notification; memory per stream; notification latency at that load. Builds the jar, starts a stack
# of its own (target/stack-sse) and the packaged service (JVM, prod profile), then runs the JDK-only
# driver io.ordersvc.bench.SseConnectionsBenchmark on 127.0.0.1: it opens the streams in steps (the
# earlier ones stay open), changes one aggregate at RATE/s for STEP_SECONDS per step and stops at the
# first step that is refused, loses a stream or misses a notification.
# Results: target/bench/sse-connections.{md,json}; service log: target/bench/sse-service.log.
# Env: STEPS ("1000 2500 5000 7500 10000"), RATE (5 changes/s), STEP_SECONDS (15), GRACE_SECONDS (30),
#      CONNECT_RATE (new streams/s; 0: as fast as 256 connecting at once allow),
#      STREAM (products: GET /products/changes; order: GET /orders/{id}/changes), WARMUP_CONNECTIONS (200),
#      WARMUP_SECONDS (10), SHOPPERS (50: customers of the stack's realm among whom the catalog's streams are
#      dealt), XMX (service heap, 1g as in bench/run.sh), MAX_CONNECTIONS (the service's
#      ordersvc.changes.max-connections; default: the largest step + 1000, so that only the machine limits).
set -euo pipefail
cd "$(dirname "$0")/.."
export STEPS=${STEPS:-"1000 2500 5000 7500 10000"} RATE=${RATE:-5} STEP_SECONDS=${STEP_SECONDS:-15}
export GRACE_SECONDS=${GRACE_SECONDS:-30} STREAM=${STREAM:-products} CONNECT_RATE=${CONNECT_RATE:-0} SHOPPERS=${SHOPPERS:-50}
export WARMUP_CONNECTIONS=${WARMUP_CONNECTIONS:-200} WARMUP_SECONDS=${WARMUP_SECONDS:-10}
XMX=${XMX:-1g}
OUT=target/bench
DIR=target/stack-sse
began=$(date +%s)
log() { printf '[sse-connections %3ds] %s\n' "$(( $(date +%s) - began ))" "$*" >&2; }

largest=0
for n in $STEPS; do [ "$n" -gt "$largest" ] && largest=$n; done
MAX_CONNECTIONS=${MAX_CONNECTIONS:-$(( largest + 1000 ))}
# each stream is one socket in the driver and one in the service, each a process of its own
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $(( largest + 2000 )) ]; then
  log "ulimit -n is $(ulimit -n): too few file descriptors for $largest streams (need about $(( largest + 2000 )))"
  exit 1
fi

log "building the jar"
./mvnw -B -q package -DskipTests

stack() { java -cp target/test-classes io.ordersvc.stack.LocalStack "$@" --dir "$DIR" --free-ports; }
app_pid=""
cleanup() {
  local status=$?
  if [ -n "$app_pid" ]; then kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; fi
  stack down >/dev/null 2>&1 || true
  [ "$status" = 0 ] || log "exit $status; service log: $OUT/sse-service.log"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

stack down >/dev/null 2>&1 || true
rm -rf "$DIR"
mkdir -p "$OUT"
rm -f "$OUT"/sse-connections.*
log "starting the stack"
stack up >/dev/null
eval "$(stack env)"

port=18180
while (: </dev/tcp/127.0.0.1/$port) 2>/dev/null; do port=$((port + 1)); done
BASE="http://127.0.0.1:$port"
mport=$((port + 1000))
while (: </dev/tcp/127.0.0.1/$mport) 2>/dev/null; do mport=$((mport + 1)); done
# health is on the management interface (its own port) in the packaged service
MGMT="http://127.0.0.1:$mport"
log "starting the service on $BASE (-Xmx$XMX, at most $MAX_CONNECTIONS change streams)"
# per-caller limits lifted: one bench customer sends what thousands of real ones would, and the
# benchmark measures the service's paths, not its limiter
ORDERSVC_LIMITS_COMMANDS_PER_SECOND=1000000 ORDERSVC_LIMITS_COMMAND_BURST=1000000 ORDERSVC_LIMITS_STREAMS_PER_CALLER=1000000 QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=$port QUARKUS_MANAGEMENT_PORT=$mport ORDERSVC_CHANGES_MAX_CONNECTIONS=$MAX_CONNECTIONS \
  java -Xmx"$XMX" -jar target/quarkus-app/quarkus-run.jar > "$OUT/sse-service.log" 2>&1 &
app_pid=$!
deadline=$(( $(date +%s) + 90 ))
until curl -fs "$MGMT/q/health/ready" >/dev/null 2>&1; do
  kill -0 "$app_pid" 2>/dev/null || { log "the service exited"; exit 1; }
  [ "$(date +%s)" -lt "$deadline" ] || { log "the service was not ready within 90 s"; exit 1; }
  sleep 0.1
done
log "ready; RSS $(( $(awk '/^VmRSS/ {print $2}' "/proc/$app_pid/status") / 1024 )) MiB"

status=0
java -Xmx512m -Dstack.dir="$DIR" -cp target/test-classes io.ordersvc.bench.SseConnectionsBenchmark "$BASE" "$app_pid" "$OUT" || status=$?
cat "$OUT/sse-connections.md" 2>/dev/null || true
log "done in $(( $(date +%s) - began )) s: $OUT/sse-connections.md, $OUT/sse-connections.json"
exit "$status"
