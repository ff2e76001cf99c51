#!/usr/bin/env bash
# HTTP ingest on the embedded H2 default, two variants in turn (A B A B ...), each on a fresh data
# folder: what durable commits cost (docs/performance.md, "Durable H2 commits").
#
#   bench/h2/run.sh                                   # A = B = target/tally-*.jar (as built)
#   JAR_A=/tmp/tally-before.jar bench/h2/run.sh       # A: another build, e.g. before a change
#   ARGS_A='--spring.datasource.url=jdbc:h2:file:./data/tally;WRITE_DELAY=0' bench/h2/run.sh
#
# Settings (environment): JAR_A, JAR_B, ARGS_A, ARGS_B (extra --key=value of the service), PAIRS (3),
# RECORDS (100000, batch scenario), BATCH (1000), SENDERS (4), SINGLE_RECORDS (10000), CLIENTS (64),
# PORT (18090), SERVICE_JVM_OPTS (as bench/run.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
jar=$(ls target/tally-*.jar 2>/dev/null | grep -v original | head -n 1 || true)
[ -n "$jar" ] || { ./mvnw -B -q package -DskipTests; jar=$(ls target/tally-*.jar | grep -v original | head -n 1); }
JAR_A=${JAR_A:-$jar}; JAR_B=${JAR_B:-$jar}
ARGS_A=${ARGS_A:-}; ARGS_B=${ARGS_B:-}
PAIRS=${PAIRS:-3}; RECORDS=${RECORDS:-100000}; BATCH=${BATCH:-1000}; SENDERS=${SENDERS:-4}
SINGLE_RECORDS=${SINGLE_RECORDS:-10000}; CLIENTS=${CLIENTS:-64}; PORT=${PORT:-18090}
SERVICE_JVM_OPTS=${SERVICE_JVM_OPTS:--Xms256m -Xmx256m -XX:+UseSerialGC -XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=64m -Xss512k}
work=$root/bench/target/h2
mkdir -p "$work"
pid=
stop() { if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi; pid=; }
trap stop EXIT

one() { # variant jar args run-number
  local variant=$1 jar=$2 args=$3 n=$4 dir=$work/$1-$4
  rm -rf "$dir"; mkdir -p "$dir"
  # shellcheck disable=SC2086
  (cd "$dir" && exec java $SERVICE_JVM_OPTS -jar "$jar" --server.port="$PORT" $args >service.log 2>&1) &
  pid=$!
  for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$PORT/actuator/health/readiness" >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { echo "variant $variant did not start; see $dir/service.log"; exit 1; }
    sleep 1
  done
  local b s
  b=$(java bench/h2/IngestRate.java "http://127.0.0.1:$PORT" batch "$RECORDS" "$SENDERS" "$BATCH" "b$n-")
  s=$(java bench/h2/IngestRate.java "http://127.0.0.1:$PORT" single "$SINGLE_RECORDS" "$CLIENTS" 1 "s$n-")
  stop
  rm -rf "$dir/data"   # hundreds of MB per run; the service log stays
  echo "$variant run $n | $b | $s"
}

echo "A: $JAR_A $ARGS_A"
echo "B: $JAR_B $ARGS_B"
for n in $(seq 1 "$PAIRS"); do
  one A "$JAR_A" "$ARGS_A" "$n"
  one B "$JAR_B" "$ARGS_B" "$n"
done
