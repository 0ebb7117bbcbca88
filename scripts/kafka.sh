#!/usr/bin/env bash
# A single-node Apache Kafka (KRaft, combined broker+controller) on 127.0.0.1 for tests, CI and
# benchmarks, run from Maven Central jars with `java -cp` (no Docker engine, no Debian package).
#
#   scripts/kafka.sh start | stop | restart | status | fetch | reset
#
# Idempotent: `start` on a running broker returns at once. Jars are cached in $QA_CACHE_DIR
# (default ~/.cache/qa-screen); broker data lives in $KAFKA_RUN_DIR (default $QA_CACHE_DIR/kafka-run).
# Prints nothing but progress on stderr; `start` ends by printing the bootstrap address on stdout.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
CACHE="${QA_CACHE_DIR:-$HOME/.cache/qa-screen}"
LIBS="$CACHE/kafka-libs-3.9.1"
RUN="${KAFKA_RUN_DIR:-$CACHE/kafka-run}"
PORT="${KAFKA_PORT:-19092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-19093}"
HEAP="${KAFKA_HEAP:-512m}"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"

NAME=kafka.sh
# shellcheck source=lib.sh
. "$HERE/lib.sh"

fetch() { maven_fetch "$HERE/kafka/pom.xml" "$LIBS"; }



write_config() {
  mkdir -p "$RUN/data"
  cat > "$RUN/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$RUN/data
num.partitions=1
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
group.initial.rebalance.delay.ms=0
log.segment.bytes=67108864
log.retention.hours=24
PROPS
}

start() {
  if pid_alive "$RUN/kafka.pid" && port_open "$PORT"; then
    log "already running (pid $(cat "$RUN/kafka.pid"), 127.0.0.1:$PORT)"
    echo "127.0.0.1:$PORT"
    return
  fi
  if port_open "$PORT"; then
    log "port $PORT is taken by another process; set KAFKA_PORT"
    exit 1
  fi
  fetch
  write_config
  local cp="$LIBS/*"
  if [ ! -f "$RUN/data/meta.properties" ]; then
    local cluster_id
    cluster_id="$(java -cp "$cp" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1)"
    log "formatting KRaft storage (cluster $cluster_id)"
    java -cp "$cp" -Dlog4j.configuration="file:$HERE/kafka/log4j.properties" \
      kafka.tools.StorageTool format -t "$cluster_id" -c "$RUN/server.properties" >"$RUN/format.log" 2>&1 \
      || { cat "$RUN/format.log" >&2; exit 1; }
  fi
  log "starting broker on 127.0.0.1:$PORT (log: $RUN/kafka.log)"
  : >"$RUN/kafka.log"
  nohup java "-Xmx$HEAP" "-Xms$HEAP" -XX:+UseSerialGC -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$HERE/kafka/log4j.properties" \
    -cp "$cp" kafka.Kafka "$RUN/server.properties" >>"$RUN/kafka.log" 2>&1 &
  echo $! >"$RUN/kafka.pid"
  local waited=0
  until port_open "$PORT" && grep -q "Kafka Server started\|KafkaRaftServer.*started\|\] started (kafka.server.KafkaRaftServer)" "$RUN/kafka.log"; do
    if ! pid_alive "$RUN/kafka.pid"; then
      log "broker exited during start-up:"; tail -n 40 "$RUN/kafka.log" >&2; exit 1
    fi
    if [ "$waited" -ge "$((START_TIMEOUT * 5))" ]; then
      log "broker did not start within ${START_TIMEOUT}s:"; tail -n 40 "$RUN/kafka.log" >&2; exit 1
    fi
    sleep 0.2
    waited=$((waited + 1))
  done
  log "ready after $((waited / 5)) s"
  echo "127.0.0.1:$PORT"
}

stop() {
  if ! pid_alive "$RUN/kafka.pid"; then log "not running"; rm -f "$RUN/kafka.pid"; return; fi
  local pid; pid="$(cat "$RUN/kafka.pid")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then log "forcing stop"; kill -9 "$pid" 2>/dev/null || true; fi
  rm -f "$RUN/kafka.pid"
  log "stopped"
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status)
    if pid_alive "$RUN/kafka.pid" && port_open "$PORT"; then echo "running pid $(cat "$RUN/kafka.pid") 127.0.0.1:$PORT"; else echo "stopped"; exit 3; fi ;;
  reset) stop; rm -rf "$RUN"; log "data removed" ;;
  *) echo "usage: $0 start|stop|restart|status|fetch|reset" >&2; exit 2 ;;
esac
