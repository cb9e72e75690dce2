#!/usr/bin/env bash
# A real single-node Apache Kafka 3.9 broker (KRaft) without Docker.
#
#   scripts/kafka.sh fetch     resolve the broker's jars from Maven Central (once)
#   scripts/kafka.sh start     start in the background, or reuse one already answering; waits until ready
#   scripts/kafka.sh stop      stop the broker this script started
#   scripts/kafka.sh status    exit 0 when the port answers
#   scripts/kafka.sh run       run in the foreground (for harnesses that need to kill or freeze the process)
#
# Settings (environment): KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (KAFKA_PORT+1), KAFKA_ADVERTISED_PORT (KAFKA_PORT;
# another port when clients reach the broker through a proxy), KAFKA_STATE_DIR (.local/kafka-<port>: data, logs,
# pid), KAFKA_LIBS (.local/kafka-libs), KAFKA_HEAP (512m), KAFKA_START_TIMEOUT (90).
# For a node of a replicated cluster (the chaos harness's three-node quorum; every node broker and controller):
# KAFKA_NODE_ID (1), KAFKA_QUORUM_VOTERS (id@host:port,...; this node alone by default), KAFKA_CLUSTER_ID (the same
# for every node; random by default), KAFKA_REPLICATION (1: replication factor of the internal topics and the
# default one), KAFKA_MIN_INSYNC (1: min.insync.replicas, the default of every topic).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((PORT + 1))}"
ADVERTISED_PORT="${KAFKA_ADVERTISED_PORT:-$PORT}"
STATE="${KAFKA_STATE_DIR:-$ROOT/.local/kafka-$PORT}"
LIBS="${KAFKA_LIBS:-$ROOT/.local/kafka-libs}"
HEAP="${KAFKA_HEAP:-512m}"
TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
PIDFILE="$STATE/broker.pid"
NODE_ID="${KAFKA_NODE_ID:-1}"
VOTERS="${KAFKA_QUORUM_VOTERS:-$NODE_ID@127.0.0.1:$CONTROLLER_PORT}"
REPLICATION="${KAFKA_REPLICATION:-1}"
MIN_INSYNC="${KAFKA_MIN_INSYNC:-1}"

log() { echo "kafka.sh: $*" >&2; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

fetch() {
  if [[ -f "$LIBS/.complete" ]]; then return 0; fi
  command -v mvn >/dev/null || { log "Maven (mvn) is needed to resolve the broker from Maven Central"; exit 1; }
  command -v java >/dev/null || { log "Java 17+ is needed to run the broker"; exit 1; }
  log "resolving Apache Kafka jars into $LIBS"
  rm -rf "$LIBS" && mkdir -p "$LIBS"
  # Pinned plugin version: an unpinned one would be resolved afresh and could change under us.
  mvn -B -q -f "$ROOT/scripts/kafka/pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$LIBS"
  touch "$LIBS/.complete"
}

write_config() {
  mkdir -p "$STATE/data" "$STATE/logs"
  cat >"$STATE/server.properties" <<PROPS
process.roles=broker,controller
node.id=$NODE_ID
controller.quorum.voters=$VOTERS
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$ADVERTISED_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$STATE/data
num.partitions=3
offsets.topic.replication.factor=$REPLICATION
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=$REPLICATION
transaction.state.log.min.isr=$MIN_INSYNC
default.replication.factor=$REPLICATION
min.insync.replicas=$MIN_INSYNC
unclean.leader.election.enable=false
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=2
log.cleaner.dedupe.buffer.size=1048577
auto.create.topics.enable=false
PROPS
  if [[ -n "${KAFKA_CLUSTER_ID:-}" ]]; then
    echo "$KAFKA_CLUSTER_ID" >"$STATE/cluster-id"
  elif [[ ! -f "$STATE/cluster-id" ]]; then
    # 16 random bytes as base64url (22 chars); a leading '-' would be read as an option.
    local id
    until id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')" && [[ "$id" != -* ]]; do :; done
    echo "$id" >"$STATE/cluster-id"
  fi
  java -cp "$LIBS/*" kafka.tools.StorageTool format -t "$(cat "$STATE/cluster-id")" \
    -c "$STATE/server.properties" --ignore-formatted >"$STATE/logs/format.log" 2>&1
}

java_cmd() {
  JAVA_CMD=(java "-Xms$HEAP" "-Xmx$HEAP" -XX:+UseG1GC "-Dkafka.logs.dir=$STATE/logs"
    "-Dlog4j.configuration=file:$ROOT/scripts/kafka/log4j.properties"
    -cp "$LIBS/*" kafka.Kafka "$STATE/server.properties")
}

wait_ready() {
  local deadline=$((SECONDS + TIMEOUT))
  while ((SECONDS < deadline)); do
    if grep -q "Kafka Server started" "$STATE/logs/server.log" 2>/dev/null && port_open "$PORT"; then return 0; fi
    if [[ -f "$PIDFILE" ]] && ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
      log "broker exited during start; last log lines:"; tail -n 20 "$STATE/logs/server.log" "$STATE/logs/stdout.log" >&2 || true
      return 1
    fi
    sleep 0.5
  done
  log "broker did not become ready within ${TIMEOUT}s"; return 1
}

start() {
  if port_open "$PORT"; then log "reusing the broker already listening on 127.0.0.1:$PORT"; return 0; fi
  fetch
  write_config
  : >"$STATE/logs/server.log"
  java_cmd
  nohup "${JAVA_CMD[@]}" >"$STATE/logs/stdout.log" 2>&1 &
  echo $! >"$PIDFILE"
  log "started broker pid $(cat "$PIDFILE") on 127.0.0.1:$PORT (state in $STATE)"
  wait_ready
  log "broker ready on 127.0.0.1:$PORT"
}

run() {
  fetch
  write_config
  java_cmd
  exec "${JAVA_CMD[@]}"
}

stop() {
  if [[ ! -f "$PIDFILE" ]]; then log "no broker started by this script on port $PORT"; return 0; fi
  local pid; pid="$(cat "$PIDFILE")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$PIDFILE"
  log "stopped broker on port $PORT"
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  run) run ;;
  status) port_open "$PORT" ;;
  *) echo "usage: $0 fetch|start|stop|status|run" >&2; exit 2 ;;
esac
