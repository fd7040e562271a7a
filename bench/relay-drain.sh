#!/usr/bin/env bash
# How fast the outbox relay drains a backlog. Builds the jar, starts a stack of its own
# (target/stack-relay) and the packaged service (JVM, prod profile) on 127.0.0.1, lets the relay
# drain a warm-up backlog, then stops Kafka, writes COUNT unpublished events straight into the events
# table, starts Kafka again and times from Kafka being up until no event is left unpublished.
# The events are of aggregate type 'relaydrain' (topic relaydrain.events, which nobody consumes), so
# only the relay is measured, not the projectors. Gives up after 5 minutes of draining.
# Prints relay_drain_events_per_s=N, relay_drain_events=COUNT, the service's CPU-µs per event relayed, and
# the footprint of publishing (the event log's updates, dead row versions and size; the outbox's), before
# and after, also in target/bench/relay-drain.properties; service log: target/bench/relay-service.log.
# Env: COUNT (100000, at least 50000), WARMUP (20000), AGGREGATES (1000: COUNT / AGGREGATES events each),
#      XMX (service heap, 1g as in bench/run.sh); ORDERSVC_RELAY_* settings reach the service as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${COUNT:-100000} WARMUP=${WARMUP:-20000} AGGREGATES=${AGGREGATES:-1000} XMX=${XMX:-1g}
DRAIN_LIMIT_S=300
OUT=target/bench
DIR=target/stack-relay
began=$(date +%s)
log() { printf '[relay-drain %3ds] %s\n' "$(( $(date +%s) - began ))" "$*" >&2; }

need() {
  command -v "$1" >/dev/null && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "relay-drain: '$1' is missing; install the Debian package '$2' (apt-get install $2) or run as root" >&2
    exit 1
  fi
  apt-get install -y -q "$2" >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q "$2" >/dev/null; }
}
need curl curl
need psql postgresql-client

log "building the jar"
./mvnw -B -q package -DskipTests

stack() { java -cp target/test-classes io.ordersvc.stack.LocalStack "$@" --dir "$DIR" --free-ports; }
app_pid=""
cleanup() {
  local status=$?
  if [ -n "$app_pid" ]; then kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; fi
  stack down >/dev/null 2>&1 || true
  [ "$status" = 0 ] || log "exit $status; service log: $OUT/relay-service.log"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

stack down >/dev/null 2>&1 || true
rm -rf "$DIR"
mkdir -p "$OUT"
log "starting the stack"
stack up >/dev/null
eval "$(stack env)"
pg_port=${ORDERS_DB_URL##*:}; pg_port=${pg_port%%/*}

port=18280
while (: </dev/tcp/127.0.0.1/$port) 2>/dev/null; do port=$((port + 1)); done
BASE="http://127.0.0.1:$port"
mport=$((port + 1000))
while (: </dev/tcp/127.0.0.1/$mport) 2>/dev/null; do mport=$((mport + 1)); done
# health is on the management interface (its own port) in the packaged service
MGMT="http://127.0.0.1:$mport"
log "starting the service on $BASE"
QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=$port QUARKUS_MANAGEMENT_PORT=$mport java -Xmx"$XMX" -jar target/quarkus-app/quarkus-run.jar \
  > "$OUT/relay-service.log" 2>&1 &
app_pid=$!
deadline=$(( $(date +%s) + 90 ))
until curl -fs "$MGMT/q/health/ready" >/dev/null 2>&1; do
  kill -0 "$app_pid" 2>/dev/null || { log "the service exited"; exit 1; }
  [ "$(date +%s)" -lt "$deadline" ] || { log "the service was not ready within 90 s"; exit 1; }
  sleep 0.1
done

pgq() { PGPASSWORD=orders psql -h 127.0.0.1 -p "$pg_port" -U orders -d orders -Atq -v ON_ERROR_STOP=1 -c "$1"; }
now() { date +%s.%N; }
# the service's utime + stime in clock ticks (/proc/<pid>/stat fields 14, 15, counted after the name's ")")
cpu_ticks() { sed 's/.*) //' "/proc/$app_pid/stat" | awk '{ print $12 + $13 }'; }
backlog() { pgq "SELECT count(*) FROM outbox"; }

# write N CORRELATION: N unpublished events in one statement, AGGREGATES aggregates in turn, each in version
# order; the payload is about the size of an OrderPlaced (~700 bytes)
write() {
  local salt
  salt=$(cat /proc/sys/kernel/random/uuid)
  pgq "
    INSERT INTO events (event_id, aggregate_type, aggregate_id, version, event_type, schema_version, payload,
                        occurred_at, correlation_id)
    SELECT gen_random_uuid(), 'relaydrain', md5('$salt' || (g % $AGGREGATES))::uuid, g / $AGGREGATES + 1, 'DrainChecked', 1,
           jsonb_build_object('orderId', md5('$salt' || (g % $AGGREGATES))::uuid,
             'customer', jsonb_build_object('customerId', md5('customer' || g)::uuid, 'name', 'Drain Buyer',
                                            'email', 'drain-buyer@example.com'),
             'shippingAddress', jsonb_build_object('line1', '1 Bench Road', 'city', 'Leipzig', 'postalCode', '04109',
                                                   'country', 'DE'),
             'lines', (SELECT jsonb_agg(jsonb_build_object('productId', md5('product' || l)::uuid, 'sku', 'DRAIN-SKU-' || l,
                         'productName', 'Drain item ' || l, 'unitPrice', 3.25 + l, 'quantity', l + 1,
                         'lineTotal', (3.25 + l) * (l + 1))) FROM generate_series(0, 2) l),
             'total', 35.00, 'placedAt', '2026-01-01T00:00:00.000Z'),
           now(), '$2'
      FROM generate_series(0, $1 - 1) g" >/dev/null
}

# drain LIMIT_S: waits until no event is unpublished; answers 1 when that took longer than LIMIT_S.
# first_publish: when the backlog first shrank (how long the relay took to notice Kafka was back)
drain() {
  local deadline=$(( $(date +%s) + $1 )) start left
  start=$(backlog) first_publish=""
  until left=$(backlog); [ "$left" = 0 ]; do
    [ -n "$first_publish" ] || [ "$left" = "$start" ] || first_publish=$(now)
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.1
  done
  [ -n "$first_publish" ] || first_publish=$(now)
}

log "warm-up: $WARMUP events with Kafka up"
write "$WARMUP" relay-drain-warmup
drain 120 || { log "the warm-up backlog was not drained within 120 s"; exit 1; }

# the footprint of publishing, before the backlog and after its drain: the event log's updates and dead
# row versions (none: it is written once) and size, and the outbox's (a row per waiting event, deleted
# once published) with its index (the statistics are flushed about once a second: each reading waits)
footprint() {
  sleep 1.5
  pgq "SELECT e.n_tup_upd, e.n_dead_tup, pg_relation_size('events'), pg_indexes_size('events'),
              o.n_dead_tup, pg_relation_size('outbox'), pg_indexes_size('outbox')
         FROM pg_stat_user_tables e, pg_stat_user_tables o WHERE e.relname = 'events' AND o.relname = 'outbox'"
}
before=$(footprint)
log "stopping Kafka; writing $COUNT unpublished events"
stack stop kafka
write "$COUNT" relay-drain
log "backlog $(backlog); starting Kafka"
stack start kafka
t0=$(now) ticks0=$(cpu_ticks)
if ! drain "$DRAIN_LIMIT_S"; then
  log "gave up: $(backlog) events still unpublished after $DRAIN_LIMIT_S s"
  exit 1
fi
t1=$(now) ticks1=$(cpu_ticks)
# the machine is shared: its load during the drain says how far the figure can be trusted
load=$(cut -d' ' -f1 /proc/loadavg)
after=$(footprint)

awk -v n="$COUNT" -v t0="$t0" -v t1="$t1" -v first="$first_publish" -v load="$load" -v cores="$(nproc)" \
    -v ticks="$(( ticks1 - ticks0 ))" -v hz="$(getconf CLK_TCK)" -v before="$before" -v after="$after" 'BEGIN {
  printf "relay_drain_events_per_s=%d\nrelay_drain_events=%d\nrelay_drain_seconds=%.2f\nrelay_first_publish_after_kafka_s=%.2f\n",
    n / (t1 - t0), n, t1 - t0, first - t0
  printf "machine_cores=%d\nmachine_load_1m=%s\n", cores, load
  printf "relay_service_cpu_us_per_event=%.1f\nrelay_service_cores=%.2f\n", ticks * 1e6 / hz / n, ticks / hz / (t1 - t0)
  split(before, b, "|"); split(after, a, "|")
  printf "events_rows_updated=%d\nevents_dead_tuples_after=%d\n", a[1] - b[1], a[2]
  printf "events_table_mib_before=%.1f\nevents_table_mib_after=%.1f\n", b[3] / 1048576, a[3] / 1048576
  printf "events_indexes_mib_before=%.1f\nevents_indexes_mib_after=%.1f\n", b[4] / 1048576, a[4] / 1048576
  printf "outbox_dead_tuples_after=%d\noutbox_table_kib_before=%d\noutbox_table_kib_after=%d\n", a[5], b[6] / 1024, a[6] / 1024
  printf "outbox_index_kib_before=%d\noutbox_index_kib_after=%d\n", b[7] / 1024, a[7] / 1024 }' \
  | tee "$OUT/relay-drain.properties"
log "done in $(( $(date +%s) - began )) s"
