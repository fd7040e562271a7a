#!/usr/bin/env bash
# Runs the service in dev mode (live reload, http://localhost:8080) against the local stack of
# real servers under target/stack-dev: it starts them, or reuses those already running, and on
# exit stops only the ones it started. Extra arguments go to quarkus:dev. With REDIS_CLUSTER=1 the
# read models live in the stack's Redis Cluster (3 primaries, 3 replicas) instead of its single Redis.
set -euo pipefail
cd "$(dirname "$0")"

./mvnw -B -q test-compile   # builds the stack launcher; the first run also fetches the servers
stack() { java -cp target/test-classes io.ordersvc.stack.LocalStack "$@" --dir target/stack-dev; }

# Keycloak starts beside the service: the service needs it only at the first token, and it is the
# slowest server to start, so it does not hold the rest of the stack and the service back
keycloak_started=""
if ! stack status | grep -q '^keycloak running'; then
  keycloak_started=keycloak
fi
stack start keycloak >/dev/null &
keycloak_pid=$!
up=(up --without keycloak)
if [ "${REDIS_CLUSTER:-}" = 1 ]; then
  up+=(--redis-cluster)
fi
started=$(stack "${up[@]}")
if [ "${REDIS_CLUSTER:-}" = 1 ]; then
  hosts=$(stack env | sed -n "s/^export ORDERS_REDIS_CLUSTER_URL='\(.*\)'$/\1/p")
  set -- -Dquarkus.redis.client-type=cluster "-Dquarkus.redis.hosts=$hosts" "$@"
fi
cleanup() {
  wait "$keycloak_pid" 2>/dev/null || true
  if [ -n "$started$keycloak_started" ]; then
    # shellcheck disable=SC2086 # one word per server
    stack down $started $keycloak_started
  fi
}
trap cleanup EXIT

# test-compile before quarkus:dev, in the same Maven run: the build's own incremental compile, which
# finds the classes the first step made up to date, and dev mode then compiles nothing itself (run
# alone, it compiles main and test sources again under its own bookkeeping the first time it runs on a
# fresh checkout or after a clean: a second full compile)
if [ -t 0 ]; then
  # a terminal: Quarkus keeps its interactive console; Ctrl-C ends both
  trap 'exit 130' INT HUP TERM
  ./mvnw test-compile quarkus:dev "$@"
else
  # driven by a script (stdin closed, no console): forward the stop signal to Maven
  ./mvnw -B test-compile quarkus:dev -Dquarkus.console.enabled=false "$@" </dev/null &
  mvn_pid=$!
  trap 'kill -TERM "$mvn_pid" 2>/dev/null || true' INT HUP TERM
  while kill -0 "$mvn_pid" 2>/dev/null; do
    wait "$mvn_pid" || true
  done
fi
