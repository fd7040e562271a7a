#!/usr/bin/env bash
# The benchmark of issue 7, one command: bench/run.sh [--quick]
# Builds the jar, starts a stack of its own (target/stack-bench) and the packaged service (JVM, prod
# profile), warms it up, then runs bounded loads on 127.0.0.1 only, each next to an anchor measured
# in the same run on the same servers: wrk vs pgbench (PlaceOrder, replica join), wrk vs
# redis-benchmark (cache hit), the service's CPU per order at 100 orders/s, reads while orders are
# placed, a propagation curve (JDK driver: commit → Redis pub/sub and SSE at 50, 100, 200, 400
# orders/s; its 200/s step is the fixed-rate propagation step) whose highest rate with a Redis p99
# ≤ 100 ms is set against pgbench PlaceOrder at 8 clients, 500 SSE streams of the catalog (the driver
# of bench/sse-connections.sh) and the rebuild; every step's service CPU goes into the cost ledger, and Redis's
# own commands, CPU and memory per event of the cpu-per-order step and of the rebuild into the Redis ledger.
# Prints markdown tables; writes target/bench/results.{md,json} and throughput.png, latency.png,
# propagation.png, propagation-curve.png.
# Full mode ≤ 10 min, --quick ≤ 70 s of load (for CI).
# Env: JFR=1 records a flight recording of the service (target/bench/service.jfr), and the report then says
# where each step's CPU went; BENCH_WARM_S sets the warm-up's PlaceOrder seconds (40 full, 6 quick).
set -euo pipefail
cd "$(dirname "$0")/.."

MODE=full
if [ "${1:-}" = "--quick" ]; then MODE=quick; elif [ -n "${1:-}" ]; then echo "usage: bench/run.sh [--quick]" >&2; exit 2; fi
if [ "$MODE" = full ]; then
  WARM_S=40 WARM_READ_S=5 PLACE_CLIENTS="1 4 8 16 32" PLACE_S=12 PGB_S=10
  READ_CLIENTS="8 50" READ_S=10 REDIS_OPS_PER_S=40000 JOIN_CLIENTS="4 8" JOIN_S=10
  MIXED_S=15 PROP_WARM=1000 CURVE_RATES="50 100 200 400" CURVE_S=20 FIXTURE_ORDERS=100000 CPU_COUNT=3000
else
  WARM_S=6 WARM_READ_S=2 PLACE_CLIENTS="4 8" PLACE_S=3 PGB_S=3
  READ_CLIENTS="8 50" READ_S=3 REDIS_OPS_PER_S=20000 JOIN_CLIENTS="8" JOIN_S=3
  MIXED_S=3 PROP_WARM=100 CURVE_RATES="50 200" CURVE_S=3 FIXTURE_ORDERS=20000 CPU_COUNT=600
fi
# a lever's before/after pair can be taken in quick mode with a warm-up as long as the full one's:
# BENCH_WARM_S=40 bench/run.sh --quick (the ledger says how much of a step was the JIT's in any case)
WARM_S=${BENCH_WARM_S:-$WARM_S}
SSE_STREAMS=500
CPU_RATE=100 CPU_IDLE_S=2
PROP_RATE=200 MIXED_WRITE_RATE=500 MIXED_WRITE_CLIENTS=4 MIXED_READ_CLIENTS=8
# the curve skips its higher rates once a step's commit → Redis p99 passes CURVE_STOP_MS, but always
# runs PROP_RATE, the fixed-rate step that propagation.{json,png} are made from; the report names the
# highest rate whose p99 stayed ≤ CURVE_GOAL_MS
CURVE_STOP_MS=1000 CURVE_GOAL_MS=100

OUT=target/bench
RAW=$OUT/raw
DIR=target/stack-bench
began=$(date +%s)

# the load tools are Debian packages: install what is missing when root, else say what to install
need() {
  command -v "$1" >/dev/null && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "bench: '$1' is missing; install the Debian package '$2' (apt-get install $2) or run as root" >&2
    exit 1
  fi
  apt-get install -y -q "$2" >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q "$2" >/dev/null; }
  command -v "$1" >/dev/null || { echo "bench: installing $2 did not provide '$1'" >&2; exit 1; }
}
need curl curl
need wrk wrk
need psql postgresql-client
need pgbench postgresql-client
need redis-cli redis-tools
need redis-benchmark redis-tools
need gnuplot gnuplot-nox

log() { printf '[bench %3ds] %s\n' "$(( $(date +%s) - began ))" "$*" >&2; }

log "building the jar"
./mvnw -B -q package -DskipTests

stack() { java -cp target/test-classes io.ordersvc.stack.LocalStack "$@" --dir "$DIR" --free-ports; }
app_pid="" rss_pid="" bg_pids=()
cleanup() {
  local status=$?
  for p in "${bg_pids[@]}" $rss_pid; do kill "$p" 2>/dev/null || true; done
  if [ -n "$app_pid" ]; then kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; fi
  stack down >/dev/null 2>&1 || true
  [ "$status" = 0 ] || log "failed (exit $status); service log: $OUT/service.log"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# a fresh stack each run, so every run starts from the same empty database
stack down >/dev/null 2>&1 || true
rm -rf "$DIR" "$OUT"
mkdir -p "$RAW"
log "starting the stack"
stack up >/dev/null
eval "$(stack env)"
pg_port=${ORDERS_DB_URL##*:}; pg_port=${pg_port%%/*}
replica_port=${ORDERS_DB_REPLICA_URL##*:}; replica_port=${replica_port%%/*}
redis_port=$STACK_REDIS_PORT

port=18080
while (: </dev/tcp/127.0.0.1/$port) 2>/dev/null; do port=$((port + 1)); done
BASE="http://127.0.0.1:$port"
mport=$((port + 1000))
while (: </dev/tcp/127.0.0.1/$mport) 2>/dev/null; do mport=$((mport + 1)); done
# health is on the management interface (its own port) in the packaged service
MGMT="http://127.0.0.1:$mport"
# compiler threads are kept for the run (-XX:-UseDynamicNumberOfCompilerThreads), so that the ledger's JIT
# share, read from their threads, does not leave with a thread that ends
jfr=()
[ "${JFR:-0}" = 1 ] && jfr=("-XX:StartFlightRecording=name=service,filename=$OUT/service.jfr,settings=profile")

log "starting the service on $BASE"
t0=$(date +%s%N)
# per-caller limits lifted: one bench customer sends what thousands of real ones would, and the
# benchmark measures the service's paths, not its limiter
ORDERSVC_LIMITS_COMMANDS_PER_SECOND=1000000 ORDERSVC_LIMITS_COMMAND_BURST=1000000 ORDERSVC_LIMITS_STREAMS_PER_CALLER=1000000 QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=$port QUARKUS_MANAGEMENT_PORT=$mport java -Xmx1g -XX:-UseDynamicNumberOfCompilerThreads "${jfr[@]}" -jar target/quarkus-app/quarkus-run.jar \
  > "$OUT/service.log" 2>&1 &
app_pid=$!
deadline=$(( $(date +%s) + 90 ))
until curl -fs "$MGMT/q/health/ready" >/dev/null 2>&1; do
  kill -0 "$app_pid" 2>/dev/null || { log "the service exited"; exit 1; }
  [ "$(date +%s)" -lt "$deadline" ] || { log "the service was not ready within 90 s"; exit 1; }
  sleep 0.05
done
start_to_ready_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$app_pid/status"; }
rss_idle_kib=$(rss_kib)
( while kill -0 "$app_pid" 2>/dev/null; do rss_kib; sleep 1; done ) > "$RAW/rss.txt" 2>/dev/null &
rss_pid=$!
log "ready in $start_to_ready_ms ms, RSS $((rss_idle_kib / 1024)) MiB"

# utime + stime in clock ticks of a process or thread (stat fields 14, 15, counted after the name's ")")
ticks_of() { sed 's/.*) //' "$1" | awk '{ print $12 + $13 }'; }
cpu_ticks() { ticks_of "/proc/$app_pid/stat"; }
hz=$(getconf CLK_TCK)
now_ms() { date +%s%3N; }
# The cost ledger: around a step, the service's CPU time and the step's window (epoch ms, so that the
# report can put the flight recording's samples of that window under the step). ledger_begin; STEP;
# ledger_end OUT appends service_cpu_ms (of which service_jit_ms and service_gc_ms), window_start_ms and
# window_end_ms to OUT.
# The JIT compiler's and the garbage collector's share is read from their threads (/proc/<pid>/task), so that
# a short step's figure can be told apart from the compiling that a longer warm-up would have done before it.
vm_ticks() {
  local jit=0 gc=0 t comm
  for t in /proc/"$app_pid"/task/*; do
    comm=$(cat "$t/comm" 2>/dev/null) || continue
    case "$comm" in
      C1\ Compiler*|C2\ Compiler*) jit=$(( jit + $(ticks_of "$t/stat") )) ;;
      GC\ Thread*|G1\ *|VM\ Thread) gc=$(( gc + $(ticks_of "$t/stat") )) ;;
    esac
  done
  echo "$jit $gc"
}
ledger_begin() { ledger_ticks=$(cpu_ticks) ledger_vm=($(vm_ticks)) ledger_start=$(now_ms); }
ledger_end() {
  local end=$(now_ms) vm=($(vm_ticks))
  ledger_step_ticks=$(( $(cpu_ticks) - ledger_ticks ))
  local ticks=$ledger_step_ticks
  printf 'service_cpu_ms=%d\nservice_jit_ms=%d\nservice_gc_ms=%d\nwindow_start_ms=%s\nwindow_end_ms=%s\n' \
    "$(( ticks * 1000 / hz ))" "$(( (vm[0] - ledger_vm[0]) * 1000 / hz ))" "$(( (vm[1] - ledger_vm[1]) * 1000 / hz ))" \
    "$ledger_start" "$end" >> "$1"
}
pgq() { PGPASSWORD=orders psql -h 127.0.0.1 -p "$1" -U orders -d orders -Atq -v ON_ERROR_STOP=1 -c "$2"; }
rcli() { redis-cli -h 127.0.0.1 -p "$redis_port" "$@"; }
# views live in key generations (g<n>:order:{<id>}); the active one is {views}:generation, 1 when unset
views() { echo "g$(rcli GET '{views}:generation' | sed 's/^$/1/'):"; }
# Redis's own ledger (issue 23): around a step, what the bench's Redis did for it. redis_ledger_begin; STEP;
# redis_ledger_end OUT appends to OUT before.* and after.*: the calls and usec of each command (INFO
# commandstats; a script's commands are counted one by one, and the EVALSHA that ran them too), used_cpu_*
# (INFO cpu, seconds), used_memory, dbsize and the time (ms). Commandstats is read last before the step and
# first after it, so that the one probe it counts is that first INFO (probe.info=1, which the report subtracts).
redis_cpu() { echo "$1.ms=$(now_ms)"; rcli INFO cpu | tr -d '\r' | sed -En "s/^(used_cpu_[a-z_]+):/$1.\1=/p"; }
redis_state() {
  echo "$1.dbsize=$(rcli DBSIZE)"
  rcli INFO memory | tr -d '\r' | sed -n "s/^used_memory:/$1.used_memory=/p"
  redis_cpu "$1"
}
redis_commands() {
  rcli INFO commandstats | tr -d '\r' | sed -En "s/^cmdstat_([^:]+):calls=([0-9]+),usec=([0-9]+).*/$1.calls.\1=\2\n$1.usec.\1=\3/p"
}
redis_ledger_begin() { redis_before=$(redis_state before; redis_commands before); }
redis_ledger_end() { { echo "$redis_before"; redis_commands after; redis_state after; echo "probe.info=1"; } >> "$1"; }
# every call carries a bearer token from the stack's identity provider: TOKEN PATH [BODY]
post() { curl -fsS -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "$3" "$BASE$2"; }
get() { curl -fsS -H "Authorization: Bearer $1" "$BASE$2"; }
field() { sed -E "s/.*\"$1\":\"([^\"]+)\".*/\1/"; }
# token USER [PASSWORD], subject TOKEN
. bench/realm.sh
# The realm's tokens live 5 minutes and a full run lasts longer: the bench customer's token is fetched
# again before a step once it is a minute old, so that every step (seconds long; a wrk step of more than
# 4 minutes would outlive its token) starts with one that outlives it, and no step's window holds a call
# to the identity provider.
customer_token_at=0
renew_customer_token() {
  [ $(( $(date +%s) - customer_token_at )) -ge 60 ] || return 0
  customer_token=$(token ada)
  customer_token_at=$(date +%s)
}

# the bench customer is the realm's seeded customer ada, who registers itself: its id is its token's
# subject; staff add the products; the rebuild is an admin's
renew_customer_token
customer=$(subject "$customer_token")
staff_token=$(token staff)
registered=$(post "$customer_token" /customers "{\"name\":\"Bench Buyer\",\"email\":\"bench-$customer@example.com\"}" | field customerId)
[ "$registered" = "$customer" ] || { log "the bench customer was registered as '$registered', not as $customer"; exit 1; }
products=()
for i in 0 1 2; do
  products+=("$(post "$staff_token" /products "{\"sku\":\"BENCH-SKU-$i\",\"name\":\"Bench item $i\",\"unitPrice\":$((3 + i)).25}" | field productId)")
done

# wrk OUT CLIENTS SECONDS SCRIPT ARGS...: one bounded HTTP load; its figures land in OUT
wrk_run() {
  local out=$1 c=$2 s=$3 script=$4; shift 4
  ledger_begin
  WRK_OUT=$out wrk -t"$(( c < 2 ? c : 2 ))" -c"$c" -d"${s}s" --timeout 10s -s "$script" "$BASE" -- "$@" > "${out%.properties}.txt"
  ledger_end "$out"
  echo "clients=$c" >> "$out"
}
# the bench customer places the orders and reads them (the fixtures are its orders too)
place() {
  renew_customer_token
  wrk_run "$1" "$2" "$3" bench/wrk/place-order.lua "$customer_token" "$customer" "${products[@]}"
}
reads() {
  renew_customer_token
  wrk_run "$1" "$2" "$3" bench/wrk/get-order.lua "$customer_token" "$4" "$(( $2 < 2 ? $2 : 2 ))"
}
# PropagationBenchmark's 64 customers (new people of the realm, registered by the driver in its step as before)
# and staff, with their tokens, made before the step's window: people OUT
people() { java -Dstack.dir="$DIR" -cp target/test-classes io.ordersvc.bench.BenchPeople 64 "$1"; }
# the floor of this HTTP stack: a static file of the web UI (no token, no Redis), under the same load
static() { wrk_run "$1" "$2" "$3" bench/wrk/static.lua /index.html; }

# pgbench OUT CLIENTS SECONDS PORT SCRIPT ARGS...: per-transaction log → nearest-rank percentiles
pgb_run() {
  local out=$1 c=$2 s=$3 port=$4 script=$5; shift 5
  local prefix="$RAW/pgblog-$(basename "${out%.properties}")"
  PGPASSWORD=orders pgbench -h 127.0.0.1 -p "$port" -U orders -n -M prepared -c "$c" -j "$(( c < 2 ? c : 2 ))" -T "$s" \
    -f "$script" -l --log-prefix="$prefix" "$@" orders > "${out%.properties}.txt" 2>&1
  {
    echo "tool=pgbench"
    echo "clients=$c"
    sed -n 's/^tps = \([0-9.]*\).*/rps=\1/p' "${out%.properties}.txt"
    sed -n 's/^number of failed transactions: \([0-9]*\).*/failed=\1/p' "${out%.properties}.txt"
    cat "$prefix".* | awk '$3 ~ /^[0-9]+$/ {print $3}' | sort -n | awk '
      function at(p,  i) { i = int(p * NR); if (i < p * NR) i++; return v[i < 1 ? 1 : i] / 1000 }
      { v[NR] = $1 }
      END { if (NR) printf "ops=%d\np50_ms=%.3f\np90_ms=%.3f\np99_ms=%.3f\nmax_ms=%.3f\n", NR, at(0.5), at(0.9), at(0.99), v[NR] / 1000 }'
  } > "$out"
  rm -f "$prefix".*
}

# redis-benchmark OUT CLIENTS OPS KEY: HGETALL of one hash, no pipelining
redis_run() {
  redis-benchmark -h 127.0.0.1 -p "$redis_port" -c "$2" -n "$3" --csv HGETALL "$4" > "${1%.properties}.txt"
  awk -F'","' -v c="$2" -v n="$3" 'NR == 2 { gsub(/"/, "", $8);
      printf "tool=redis-benchmark\nclients=%s\nops=%s\nrps=%s\np50_ms=%s\np95_ms=%s\np99_ms=%s\nmax_ms=%s\nfailed=0\n", c, n, $2, $5, $6, $7, $8 }' \
    "${1%.properties}.txt" > "$1"
}

# Fixture orders for the join workloads, written straight to the primary: the replica path needs
# only the rows it joins, and a sweep must never meet an id twice (a second read is a cache hit),
# so it needs more ids than PlaceOrder can place in the time. Same customer, products, 3 lines.
# Each also gets its OrderPlaced event (written as already published, so that the relay leaves it
# alone): a read that folds an order's events finds them, and the rebuild has a log to replay.
fixtures() {
  pgq "$pg_port" "
    CREATE SCHEMA bench;
    CREATE TABLE bench.outbox (seq bigint PRIMARY KEY);
    CREATE TABLE bench.order_ids AS
      SELECT row_number() OVER (ORDER BY random()) AS n, md5('fixture-' || g)::uuid AS id FROM generate_series(1, $FIXTURE_ORDERS) g;
    ALTER TABLE bench.order_ids ADD PRIMARY KEY (n);
    INSERT INTO orders (id, customer_id, status, ship_line1, ship_city, ship_postal_code, ship_country, total, version, placed_at, updated_at)
      SELECT md5('fixture-' || g)::uuid, '$customer', 'PLACED', '1 Bench Road', 'Leipzig', '04109', 'DE', 35.00, 1, now(), now()
        FROM generate_series(1, $FIXTURE_ORDERS) g;
    INSERT INTO order_lines (order_id, line_no, product_id, product_sku, product_name, unit_price, quantity, line_total)
      SELECT md5('fixture-' || g)::uuid, l, ('{${products[0]},${products[1]},${products[2]}}'::uuid[])[l + 1],
             'BENCH-SKU-' || l, 'Bench item ' || l, 3.25 + l, l + 1, (3.25 + l) * (l + 1)
        FROM generate_series(1, $FIXTURE_ORDERS) g, generate_series(0, 2) l;
    INSERT INTO events (event_id, aggregate_type, aggregate_id, version, event_type, schema_version, payload,
                        occurred_at, correlation_id, published_at)
    SELECT gen_random_uuid(), 'order', o.id, 1, 'OrderPlaced', 1,
           jsonb_build_object('orderId', o.id,
             'customer', jsonb_build_object('customerId', o.customer_id, 'name', 'Bench Buyer', 'email', 'bench@example.com'),
             'shippingAddress', jsonb_build_object('line1', o.ship_line1, 'city', o.ship_city, 'postalCode', o.ship_postal_code,
                                                   'country', o.ship_country),
             'lines', (SELECT jsonb_agg(jsonb_build_object('productId', l.product_id, 'sku', l.product_sku,
                         'productName', l.product_name, 'unitPrice', l.unit_price, 'quantity', l.quantity,
                         'lineTotal', l.line_total) ORDER BY l.line_no) FROM order_lines l WHERE l.order_id = o.id),
             'total', o.total, 'placedAt', to_char(o.placed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')),
           now(), 'bench-fixture', now()
      FROM orders o JOIN bench.order_ids b ON b.id = o.id;
    ANALYZE orders; ANALYZE order_lines; ANALYZE bench.order_ids;"
  pgq "$pg_port" "SELECT id FROM bench.order_ids ORDER BY n" > "$RAW/order-ids.txt"
  local deadline=$(( $(date +%s) + 60 ))
  until [ "$(pgq "$replica_port" "SELECT count(*) FROM bench.order_ids" 2>/dev/null || echo 0)" = "$FIXTURE_ORDERS" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || { log "the replica did not catch up with the fixtures"; return 1; }
    sleep 0.2
  done
}
# deletes the fixtures' views, which an earlier sweep put back, so that each read takes the replica path
drop_views() { sed "s/^\(.*\)$/$(views)order:{\1}/" "$RAW/order-ids.txt" | xargs -r -n 1000 redis-cli -h 127.0.0.1 -p "$redis_port" DEL > /dev/null; }

# the hot order of the cache-hit loads: placed through the API, its view written by the projector
hot_id=$(cat /proc/sys/kernel/random/uuid)
echo "$hot_id" > "$RAW/hot-id.txt"
post "$customer_token" /orders "{\"orderId\":\"$hot_id\",\"customerId\":\"$customer\",\"shippingAddress\":{\"line1\":\"1 Bench Road\",\"city\":\"Leipzig\",\"postalCode\":\"04109\",\"country\":\"DE\"},\"lines\":[{\"productId\":\"${products[0]}\",\"quantity\":1},{\"productId\":\"${products[1]}\",\"quantity\":2},{\"productId\":\"${products[2]}\",\"quantity\":3}]}" >/dev/null
log "writing $FIXTURE_ORDERS fixture orders for the join workloads"
fixtures
deadline=$(( $(date +%s) + 30 ))
until [ "$(rcli EXISTS "$(views)order:{$hot_id}")" = 1 ]; do
  [ "$(date +%s)" -lt "$deadline" ] || { log "the hot order was never projected"; exit 1; }
  sleep 0.1
done

log "warm-up: PlaceOrder for ${WARM_S}s, both read paths, SSE (the JIT needs ~4000 orders on 2 cores)"
place "$RAW/warmup-place.properties" 8 "$WARM_S"
warmup_orders=$(sed -n 's/^ops=//p' "$RAW/warmup-place.properties")
reads "$RAW/warmup-cache.properties" 8 "$WARM_READ_S" "$RAW/hot-id.txt"
reads "$RAW/warmup-join.properties" 8 "$WARM_READ_S" "$RAW/order-ids.txt"
static "$RAW/warmup-static.properties" 8 "$WARM_READ_S"
people "$RAW/people-propagation-warmup.txt"
java -Dstack.dir="$DIR" -Dbench.people="$RAW/people-propagation-warmup.txt" -cp target/test-classes io.ordersvc.bench.PropagationBenchmark \
  "$BASE" "$redis_port" "$PROP_WARM" "$PROP_RATE" "$RAW/propagation-warmup.json" > /dev/null || log "propagation warm-up reported losses (see $RAW/propagation-warmup.json)"
log "warm-up done: $warmup_orders orders"

# an idle reading first, so that the per-order figure can be told apart from what the service (and Redis)
# burns alone
people "$RAW/people-cpu-per-order.txt"
redis_idle=$(redis_cpu idle.before)
idle_ticks=$(cpu_ticks)
sleep "$CPU_IDLE_S"
idle_ticks=$(( $(cpu_ticks) - idle_ticks ))
redis_idle+=$'\n'$(redis_cpu idle.after)
log "cpu-per-order: $CPU_COUNT orders at $CPU_RATE/s, each followed over Redis pub/sub and SSE; service CPU from /proc/$app_pid/stat"
cpu_status=0
redis_ledger_begin
wall0=$(date +%s%N)
ledger_begin
java -Dstack.dir="$DIR" -Dbench.people="$RAW/people-cpu-per-order.txt" -cp target/test-classes io.ordersvc.bench.PropagationBenchmark \
  "$BASE" "$redis_port" "$CPU_COUNT" "$CPU_RATE" "$RAW/cpu-per-order.json" > "$RAW/cpu-per-order.txt" || cpu_status=$?
wall1=$(date +%s%N)
ledger_end "$RAW/cpu-per-order.properties"
redis_ledger_end "$RAW/redis-cpu-per-order.properties"
printf '%s\nevents=%s\norders=%s\n' "$redis_idle" "$CPU_COUNT" "$CPU_COUNT" >> "$RAW/redis-cpu-per-order.properties"
# appended to the driver's own figures of the same step (its commit → Redis percentiles)
awk -v t="$ledger_step_ticks" -v hz="$hz" -v w="$(( (wall1 - wall0) / 1000000 ))" -v n="$CPU_COUNT" -v r="$CPU_RATE" \
    -v it="$idle_ticks" -v is="$CPU_IDLE_S" 'BEGIN {
  cpu = t * 1000 / hz
  printf "cpu.rate_requested=%d\ncpu.orders=%d\ncpu.clk_tck=%d\ncpu.ticks=%d\ncpu.ms=%.0f\ncpu.wall_ms=%d\n", r, n, hz, t, cpu, w
  printf "cpu.ms_per_order=%.3f\ncpu.cores=%.3f\ncpu.idle_cores=%.3f\ncpu.idle_s=%d\n", cpu / n, cpu / w, it / hz / is, is
}' >> "$RAW/cpu-per-order.properties"
cpu_fig() { sed -n "s/^cpu\.$1=//p" "$RAW/cpu-per-order.properties"; }
log "cpu-per-order: $(cpu_fig ms_per_order) CPU-ms per order, $(cpu_fig cores) cores (idle before: $(cpu_fig idle_cores) cores)"
# the keys that never expire, while the placed orders are all still open; the orders placed through the API so far
# (every one but the fixtures) to set them against
log "Redis keys without a TTL: a SCAN of at most 200000 keys"
rcli EVAL "$(cat bench/redis-keys.lua)" 0 200000 > "$RAW/redis-keys.properties" || log "the scan of Redis's keys failed: $RAW/redis-keys.properties"
echo "orders_placed=$(( $(pgq "$pg_port" "SELECT count(*) FROM orders") - FIXTURE_ORDERS ))" >> "$RAW/redis-keys.properties"

for c in $PLACE_CLIENTS; do
  log "PlaceOrder: wrk, $c clients, ${PLACE_S}s; pgbench, same transaction, ${PGB_S}s"
  place "$RAW/place-service-c$c.properties" "$c" "$PLACE_S"
  pgb_run "$RAW/place-pgbench-c$c.properties" "$c" "$PGB_S" "$pg_port" bench/sql/place-order.sql \
    -D cust="$customer" -D p1="${products[0]}" -D p2="${products[1]}" -D p3="${products[2]}"
done

for c in $READ_CLIENTS; do
  log "GET a static file of the web UI (the HTTP stack's floor): wrk, $c clients, ${READ_S}s"
  static "$RAW/static-service-c$c.properties" "$c" "$READ_S"
  log "GET cache hit: wrk, $c clients, ${READ_S}s; redis-benchmark HGETALL"
  reads "$RAW/cache-service-c$c.properties" "$c" "$READ_S" "$RAW/hot-id.txt"
  redis_run "$RAW/cache-redis-c$c.properties" "$c" "$(( REDIS_OPS_PER_S * READ_S ))" "$(views)order:{$hot_id}"
done

for c in $JOIN_CLIENTS; do
  log "GET with the replica join forced (views deleted, each id read once): wrk, $c clients, ${JOIN_S}s; pgbench join"
  drop_views
  reads "$RAW/join-service-c$c.properties" "$c" "$JOIN_S" "$RAW/order-ids.txt"
  pgb_run "$RAW/join-pgbench-c$c.properties" "$c" "$JOIN_S" "$replica_port" bench/sql/order-join.sql -D nids="$FIXTURE_ORDERS"
done

# wrk has no rate option: each writer pauses so that together they place about MIXED_WRITE_RATE/s
p50=$(sed -n 's/^p50_ms=//p' "$RAW/place-service-c$MIXED_WRITE_CLIENTS.properties" 2>/dev/null || echo 0)
write_delay=$(awk -v c="$MIXED_WRITE_CLIENTS" -v r="$MIXED_WRITE_RATE" -v p="${p50:-0}" 'BEGIN { d = int(1000 * c / r - p); print d < 0 ? 0 : d }')
mixed() {
  local path=$1 ids=$2
  # one token for both loads, fetched before either begins
  renew_customer_token
  WRK_DELAY_MS=$write_delay place "$RAW/mixed-$path-writes.properties" "$MIXED_WRITE_CLIENTS" "$(( MIXED_S + 1 ))" &
  bg_pids+=($!)
  sleep 0.5
  reads "$RAW/mixed-$path-reads.properties" "$MIXED_READ_CLIENTS" "$MIXED_S" "$ids"
  wait "${bg_pids[-1]}"
}
log "reads while orders are placed (~$MIXED_WRITE_RATE/s wanted, $write_delay ms pause per writer): cache path, ${MIXED_S}s"
mixed cache "$RAW/hot-id.txt"
log "reads while orders are placed: join path, ${MIXED_S}s"
drop_views
mixed join "$RAW/order-ids.txt"

# waits (≤ 60 s) until the relay has published every event, so that a step does not start behind
# the backlog of the loads before it
outbox_drained() {
  local deadline=$(( $(date +%s) + 60 ))
  until [ "$(pgq "$pg_port" "SELECT count(*) FROM outbox")" = 0 ]; do
    [ "$(date +%s)" -lt "$deadline" ] || { log "the outbox still holds unpublished events after 60 s; measuring anyway"; return 0; }
    sleep 0.2
  done
}
log "propagation curve: $CURVE_RATES orders/s, ${CURVE_S}s of orders each, followed over Redis pub/sub and SSE"
prop_status=0 curve_status=0 stopped_at=""
{
  echo "rates=$CURVE_RATES"
  echo "seconds=$CURVE_S"
  echo "fixed_rate=$PROP_RATE"
  echo "stop_p99_ms=$CURVE_STOP_MS"
  echo "goal_p99_ms=$CURVE_GOAL_MS"
} > "$RAW/propagation-curve.properties"
for rate in $CURVE_RATES; do
  if [ -n "$stopped_at" ] && [ "$rate" != "$PROP_RATE" ]; then
    echo "step.$rate=skipped" >> "$RAW/propagation-curve.properties"
    continue
  fi
  people "$RAW/people-propagation-r$rate.txt"
  outbox_drained
  step=$RAW/propagation-r$rate
  log "propagation: $(( rate * CURVE_S )) orders at $rate/s"
  status=0
  java -Dstack.dir="$DIR" -Dbench.people="$RAW/people-propagation-r$rate.txt" -cp target/test-classes \
    io.ordersvc.bench.PropagationBenchmark "$BASE" "$redis_port" "$(( rate * CURVE_S ))" "$rate" "$step.json" > "$step.txt" || status=$?
  printf 'step.%s=measured\nstep.%s.exit=%s\n' "$rate" "$rate" "$status" >> "$RAW/propagation-curve.properties"
  p99=$(sed -n 's/^commit_to_redis\.p99_ms=//p' "$step.properties" 2>/dev/null || true)
  log "propagation at $rate/s: $(head -1 "$step.txt"); commit → Redis p99 ${p99:-?} ms"
  if [ "$rate" = "$PROP_RATE" ]; then
    prop_status=$status
    cp "$step.txt" "$RAW/propagation.txt"
    if [ -f "$step.json" ]; then cp "$step.json" "$OUT/propagation.json"; cp "$step.properties" "$OUT/propagation.properties"; fi
  elif [ "$status" != 0 ]; then
    curve_status=$status
  fi
  # a step that lost orders stops the sweep too: its p99 covers only the orders that arrived
  reason=""
  if [ "$status" != 0 ]; then reason="it lost orders or its driver failed (exit $status)"
  elif [ -z "$p99" ]; then reason="its driver wrote no figures"
  elif awk -v p="$p99" -v s="$CURVE_STOP_MS" 'BEGIN { exit !(p > s) }'; then reason="its commit → Redis p99 was $p99 ms"
  fi
  if [ -z "$stopped_at" ] && [ -n "$reason" ]; then
    stopped_at=$rate
    printf 'stopped_at=%s\nstopped_because=%s\n' "$rate" "$reason" >> "$RAW/propagation-curve.properties"
    log "propagation curve: the higher rates are skipped, $reason at $rate/s"
  fi
done

# a bounded step of the SSE streams benchmark: its driver never rots, and the ledger gets the CPU of an
# SSE connect and of one delivery (bench/sse-connections.sh measures the large steps on a stack of its own)
sse_status=0
log "SSE streams: $SSE_STREAMS held while one product's price changes at 5/s for 5 s"
STEPS=$SSE_STREAMS STEP_SECONDS=5 RATE=5 WARMUP_CONNECTIONS=0 STREAM=products \
  java -Dstack.dir="$DIR" -cp target/test-classes io.ordersvc.bench.SseConnectionsBenchmark "$BASE" "$app_pid" "$OUT" \
  > "$RAW/sse-connections.txt" 2>&1 || sse_status=$?

# the rebuild replays the whole event log: the fixtures' OrderPlaced events and every placed order's
log "rebuild of the read models from the event log"
# the rebuild holds two generations of every view at once, the fixtures' among them: a full run on a
# faster service places enough orders to fill the stack's 512 MB (Redis answered OOM and the rebuild
# failed, 2026-12-06), so the benchmark's own Redis gets the room to measure the replay's speed
rcli CONFIG SET maxmemory 2gb >/dev/null
admin_token=$(token admin)
admin_token_at=$(date +%s)
redis_ledger_begin
ledger_begin
post "$admin_token" /admin/rebuild "" >/dev/null
deadline=$(( $(date +%s) + 300 ))
until get "$admin_token" /admin/rebuild | grep -q '"state":"DONE"'; do
  if get "$admin_token" /admin/rebuild | grep -q '"state":"FAILED"'; then
    log "the rebuild failed; service log: $OUT/service.log"; exit 1
  fi
  [ "$(date +%s)" -lt "$deadline" ] || { log "the rebuild did not finish"; exit 1; }
  sleep 0.5
  # a rebuild may take as long as a token lives: a new one every 4 minutes
  if [ $(( $(date +%s) - admin_token_at )) -ge 240 ]; then
    admin_token=$(token admin)
    admin_token_at=$(date +%s)
  fi
done
ledger_end "$RAW/rebuild.properties"
# read before the old generation is dropped (5 s after the switch), so that used_memory and DBSIZE grew by the
# new generation's keys (old_generation_kept says whether that held), and set against the orders in it
redis_ledger_end "$RAW/redis-rebuild.properties"
{
  echo "old_generation_kept=$(rcli EXISTS "g$(( $(rcli GET '{views}:generation') - 1 )):stats:{sales:0}")"
  # the orders the new generation counted: the sum of the orders by status of its sales dashboard's stripes
  echo "orders=$(rcli EVAL "local n = 0 for s = 0, 15 do local f = redis.call('HGETALL', KEYS[1] .. s .. '}') \
    for i = 1, #f, 2 do if f[i]:sub(-7) == '.orders' and f[i]:sub(1, 4) ~= 'day:' then n = n + tonumber(f[i + 1]) end end end \
    return n" 1 "$(views)stats:{sales:")"
} >> "$RAW/redis-rebuild.properties"
rebuild=$(get "$admin_token" /admin/rebuild)
rebuild_events=$(echo "$rebuild" | sed 's/.*"processed":\([0-9]*\).*/\1/')
rebuild_rate=$(echo "$rebuild" | sed 's/.*"eventsPerSecond":\([0-9.]*\).*/\1/')
log "rebuild: $rebuild_events events at $rebuild_rate events/s"
echo "events=$rebuild_events" >> "$RAW/rebuild.properties"
echo "events=$rebuild_events" >> "$RAW/redis-rebuild.properties"

rss_max_kib=$(sort -n "$RAW/rss.txt" | tail -1)
{
  echo "mode=$MODE"
  echo "machine=$(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(java -version 2>&1 | head -1)"
  echo "date=$(date -u +%Y-%m-%dT%H:%MZ)"
  echo "start_to_ready_ms=$start_to_ready_ms"
  echo "rss_idle_mib=$(( rss_idle_kib / 1024 ))"
  echo "rss_max_mib=$(( rss_max_kib / 1024 ))"
  echo "warmup_orders=$warmup_orders"
  echo "rebuild_events=$rebuild_events"
  echo "rebuild_events_per_s=$rebuild_rate"
} > "$RAW/service.properties"

# the recording so far, so that the report can say where each step's CPU went
[ "${JFR:-0}" = 1 ] && jcmd "$app_pid" JFR.dump name=service filename="$(pwd)/$OUT/service.jfr" >/dev/null
java -cp target/test-classes io.ordersvc.bench.BenchReport "$OUT"
gnuplot -e "dir='$OUT'; goal=$CURVE_GOAL_MS; stop=$CURVE_STOP_MS" bench/plots.gp 2> "$RAW/gnuplot.log" || { cat "$RAW/gnuplot.log" >&2; exit 1; }
log "done in $(( $(date +%s) - began )) s: $OUT/results.md, results.json, throughput.png, latency.png, propagation.png, propagation-curve.png"
[ "$cpu_status" = 0 ] || { log "cpu-per-order lost orders or events, its figure is not valid: $RAW/cpu-per-order.txt"; exit "$cpu_status"; }
[ "$prop_status" = 0 ] || { log "propagation lost orders or events: $RAW/propagation.txt"; exit "$prop_status"; }
[ "$curve_status" = 0 ] || { log "a step of the propagation curve lost orders or events: $RAW/propagation-r*.txt"; exit "$curve_status"; }
[ "$sse_status" = 0 ] || { log "the SSE streams step was not held: $OUT/sse-connections.md, $RAW/sse-connections.txt"; exit "$sse_status"; }
