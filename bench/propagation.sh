#!/usr/bin/env bash
# Places COUNT orders (3 lines each) at RATE per second against the packaged service (JVM mode,
# prod profile) on a local stack of its own, and reports PlaceOrder latency and commit → visible
# in Redis latency (p50/p95/p99/max). Results: target/bench/propagation.json. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${COUNT:-1000}
RATE=${RATE:-200}
PORT=${PORT:-18080}
DIR=target/stack-bench

./mvnw -B -q package -DskipTests
stack() { java -cp target/test-classes io.ordersvc.stack.LocalStack "$@" --dir "$DIR" --free-ports; }
stack up >/dev/null
app_pid=""
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null || true
  stack down
}
trap cleanup EXIT
eval "$(stack env)"

# per-caller limits lifted (see run.sh)
ORDERSVC_LIMITS_COMMANDS_PER_SECOND=1000000 ORDERSVC_LIMITS_COMMAND_BURST=1000000 ORDERSVC_LIMITS_STREAMS_PER_CALLER=1000000 QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$((PORT + 1000)) java -Xmx1g -jar target/quarkus-app/quarkus-run.jar > target/bench-service.log 2>&1 &
app_pid=$!
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$((PORT + 1000))/q/health/ready" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fs "http://127.0.0.1:$((PORT + 1000))/q/health/ready" >/dev/null

# warm-up: on two cores the JIT compiles for a minute or more before the service is at speed
java -Dstack.dir="$DIR" -cp target/test-classes io.ordersvc.bench.PropagationBenchmark "http://127.0.0.1:$PORT" "$STACK_REDIS_PORT" \
  "${WARMUP:-4000}" 150 target/bench/propagation-warmup.json >/dev/null || true
java -Dstack.dir="$DIR" -cp target/test-classes io.ordersvc.bench.PropagationBenchmark "http://127.0.0.1:$PORT" "$STACK_REDIS_PORT" \
  "$COUNT" "$RATE" target/bench/propagation.json
