#!/usr/bin/env bash
# A single-node Apache Kafka broker (KRaft: broker and controller in one process) for local runs
# and benchmarks, built only from Kafka's artifacts on Maven Central: no Docker, no tarball.
#
#   scripts/kafka-local.sh start    resolve the jars (first time), format the data folder (first
#                                   time), start the broker, wait until it answers
#   scripts/kafka-local.sh stop     stop it (SIGTERM, then SIGKILL after 30 s)
#   scripts/kafka-local.sh status   "running (pid N) on 127.0.0.1:9092" or "stopped" (exit 3)
#   scripts/kafka-local.sh reset    stop and delete the data (topics, offsets, everything)
#   scripts/kafka-local.sh topics [args]           kafka-topics (default: --list)
#   scripts/kafka-local.sh produce TOPIC           one message per stdin line; "key<TAB>value" lines
#                                                  when KEYED=1
#   scripts/kafka-local.sh consume TOPIC [args]    read_committed from the beginning, with keys and
#                                                  headers (extra args go to kafka-console-consumer)
#
# Environment (defaults):
#   KAFKA_LOCAL_DIR=./.kafka-local    jars, server.properties, data/, kafka.log, kafka.pid
#   KAFKA_LOCAL_PORT=9092             client listener on 127.0.0.1
#   KAFKA_LOCAL_CONTROLLER_PORT=9093  KRaft controller listener on 127.0.0.1
#   KAFKA_LOCAL_HEAP=-Xmx1g
#   JAVA_HOME                         Java 17+ (else `java` on the PATH)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${KAFKA_LOCAL_DIR:-$ROOT/.kafka-local}"
PORT="${KAFKA_LOCAL_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_LOCAL_CONTROLLER_PORT:-9093}"
HEAP="${KAFKA_LOCAL_HEAP:--Xmx1g}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
LIBS="$DIR/libs"
PROPS="$DIR/server.properties"
PIDFILE="$DIR/kafka.pid"
LOG="$DIR/kafka.log"
START_TIMEOUT_S=90

running_pid() {
  [[ -f "$PIDFILE" ]] || return 1
  local pid
  pid="$(cat "$PIDFILE")"
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

resolve_jars() {
  if [[ -f "$LIBS/.complete" ]]; then
    return
  fi
  echo "Resolving Kafka jars from Maven Central into $LIBS ..."

  "$ROOT/mvnw" -q -B -f "$ROOT/scripts/kafka-local/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$LIBS"
  touch "$LIBS/.complete"
}

write_properties() {
  mkdir -p "$DIR/data"
  cat > "$PROPS" <<PROPERTIES
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DIR/data
num.partitions=3
# One node: every internal topic has one replica (transactions need this to work at all).
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
PROPERTIES
}

start() {
  if pid="$(running_pid)"; then
    echo "Kafka is already running (pid $pid) on 127.0.0.1:$PORT"
    return
  fi
  resolve_jars
  write_properties
  local cp="$LIBS/*"
  if [[ ! -f "$DIR/data/meta.properties" ]]; then
    local cluster_id
    cluster_id="$("$JAVA" -cp "$cp" kafka.tools.StorageTool random-uuid)"
    "$JAVA" -cp "$cp" kafka.tools.StorageTool format -t "$cluster_id" -c "$PROPS" >> "$LOG" 2>&1
  fi
  nohup "$JAVA" $HEAP -cp "$cp" -Dorg.slf4j.simpleLogger.defaultLogLevel=info \
    -Dorg.slf4j.simpleLogger.showDateTime=true kafka.Kafka "$PROPS" >> "$LOG" 2>&1 &
  echo $! > "$PIDFILE"
  local waited=0
  until (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; do
    if ! running_pid > /dev/null; then
      echo "Kafka failed to start; see $LOG" >&2
      tail -n 30 "$LOG" >&2
      exit 1
    fi
    if (( waited >= START_TIMEOUT_S )); then
      echo "Kafka did not open 127.0.0.1:$PORT within ${START_TIMEOUT_S}s; see $LOG" >&2
      exit 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
  echo "Kafka is running (pid $(cat "$PIDFILE")) on 127.0.0.1:$PORT; data in $DIR/data, log in $LOG"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    echo "Kafka is not running"
    rm -f "$PIDFILE"
    return
  fi
  kill "$pid"
  local waited=0
  while kill -0 "$pid" 2>/dev/null; do
    if (( waited >= 30 )); then
      echo "Kafka did not stop within 30 s; killing it"
      kill -9 "$pid" 2>/dev/null || true
      break
    fi
    sleep 1
    waited=$((waited + 1))
  done
  rm -f "$PIDFILE"
  echo "Kafka stopped"
}

status() {
  local pid
  if pid="$(running_pid)"; then
    echo "running (pid $pid) on 127.0.0.1:$PORT"
  else
    echo "stopped"
    exit 3
  fi
}

tool() {
  resolve_jars
  local main="$1"
  shift
  "$JAVA" -cp "$LIBS/*" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn "$main" "$@"
}

case "${1:-}" in
  topics) shift; if (( $# == 0 )); then set -- --list; fi
    tool org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$PORT" "$@" ;;
  produce) [[ -n "${2:-}" ]] || { echo "usage: $0 produce TOPIC" >&2; exit 2; }
    if [[ "${KEYED:-0}" == 1 ]]; then
      tool org.apache.kafka.tools.ConsoleProducer --bootstrap-server "127.0.0.1:$PORT" --topic "$2" \
        --reader-property parse.key=true --reader-property key.separator=$'\t'
    else
      tool org.apache.kafka.tools.ConsoleProducer --bootstrap-server "127.0.0.1:$PORT" --topic "$2"
    fi ;;
  consume) [[ -n "${2:-}" ]] || { echo "usage: $0 consume TOPIC [args]" >&2; exit 2; }
    topic="$2"; shift 2
    tool org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server "127.0.0.1:$PORT" --topic "$topic" \
      --from-beginning --isolation-level read_committed --formatter-property print.key=true \
      --formatter-property print.headers=true "$@" ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  reset) stop; rm -rf "$DIR/data" "$LOG"; echo "Kafka data deleted" ;;
  *) echo "usage: $0 start|stop|status|reset" >&2; exit 2 ;;
esac
