#!/usr/bin/env bash
# Where PlaceOrder's time goes: runs the packaged service on a stack of its own, warms it up with
# PlaceOrder (wrk, 8 clients), then records a JFR profile during a further PlaceOrder load and
# prints the hottest frames (self time) and the hottest of the service's, Hibernate's, Vert.x's and
# Kafka's frames (inclusive). Output: target/bench/profile.txt and target/bench/place-order.jfr.
# With WORKLOAD=propagation the recorded load is instead the propagation driver (orders at RATE/s,
# each followed over Redis pub/sub and SSE): target/bench/profile-propagation.txt and .jfr.
# Loopback only, bounded in time. Env: WARM_S (default 90), PROFILE_S (default 30), RATE (200).
set -euo pipefail
cd "$(dirname "$0")/.."
WARM_S=${WARM_S:-90} PROFILE_S=${PROFILE_S:-30} PORT=${PORT:-18090}
OUT=target/bench
DIR=target/stack-profile
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "profile: install the Debian package wrk" >&2; exit 1; }

./mvnw -B -q package -DskipTests
stack() { java -cp target/test-classes io.ordersvc.stack.LocalStack "$@" --dir "$DIR" --free-ports; }
app_pid=""
cleanup() {
  [ -n "$app_pid" ] && { kill "$app_pid" 2>/dev/null; wait "$app_pid" 2>/dev/null || true; }
  stack down >/dev/null 2>&1 || true
}
trap cleanup EXIT
stack up >/dev/null
eval "$(stack env)"
# per-caller limits lifted (see run.sh)
ORDERSVC_LIMITS_COMMANDS_PER_SECOND=1000000 ORDERSVC_LIMITS_COMMAND_BURST=1000000 ORDERSVC_LIMITS_STREAMS_PER_CALLER=1000000 QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$((PORT + 1000)) java -Xmx1g -jar target/quarkus-app/quarkus-run.jar > "$OUT/profile-service.log" 2>&1 &
app_pid=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$((PORT + 1000))/q/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
id() { sed 's/.*"'"$1"'":"\([^"]*\)".*/\1/'; }
# TOKEN PATH BODY: every call carries a bearer token from the stack's identity provider
post() { curl -fsS -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "$3" "$BASE$2"; }
# token USER [PASSWORD], subject TOKEN: from the stack's identity provider
. bench/realm.sh
# the seeded customer ada registers itself (its id is its token's subject) and places the orders; staff add
# the products
customer_token=$(token ada)
customer=$(subject "$customer_token")
staff_token=$(token staff)
post "$customer_token" /customers "{\"name\":\"Profile Buyer\",\"email\":\"profile-$customer@example.com\"}" >/dev/null
products=()
for i in 0 1 2; do
  products+=("$(post "$staff_token" /products "{\"sku\":\"PROFILE-$i-$RANDOM\",\"name\":\"Profile item $i\",\"unitPrice\":$((3 + i)).25}" | id productId)")
done

WRK_OUT="$OUT/profile-warmup.properties" wrk -t2 -c8 -d"${WARM_S}s" -s bench/wrk/place-order.lua "$BASE" -- "$customer_token" "$customer" "${products[@]}" > "$OUT/profile-warmup.txt"
if [ "${WORKLOAD:-place}" = propagation ]; then
  jcmd "$app_pid" JFR.start name=load settings=profile filename="$(pwd)/$OUT/propagation.jfr" >/dev/null
  java -Dstack.dir="$DIR" -cp target/test-classes io.ordersvc.bench.PropagationBenchmark "$BASE" "$STACK_REDIS_PORT" \
    "$(( ${RATE:-200} * PROFILE_S ))" "${RATE:-200}" "$OUT/profile-propagation.json" > "$OUT/profile-propagation-load.txt" || true
  jcmd "$app_pid" JFR.stop name=load >/dev/null
  java -cp target/test-classes io.ordersvc.bench.ProfileSummary "$OUT/propagation.jfr" "$OUT/profile-propagation-load.txt" \
    | tee "$OUT/profile-propagation.txt"
else
  # the warm-up may have outlived its token (5 minutes): a new one, fetched before the recording starts
  customer_token=$(token ada)
  jcmd "$app_pid" JFR.start name=load settings=profile filename="$(pwd)/$OUT/place-order.jfr" >/dev/null
  WRK_OUT="$OUT/profile-load.properties" wrk -t2 -c8 -d"${PROFILE_S}s" --latency -s bench/wrk/place-order.lua "$BASE" -- "$customer_token" "$customer" "${products[@]}" > "$OUT/profile-load.txt"
  jcmd "$app_pid" JFR.stop name=load >/dev/null
  java -cp target/test-classes io.ordersvc.bench.ProfileSummary "$OUT/place-order.jfr" "$OUT/profile-load.txt" | tee "$OUT/profile.txt"
fi
