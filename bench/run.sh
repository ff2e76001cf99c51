#!/usr/bin/env bash
# Tally's benchmark in one command: PostgreSQL up, service and bench built, the service started
# on a fresh database, the scenarios run (each verified), a table printed. See docs/performance.md.
#
#   bench/run.sh                      # 1,000,000 records (the issue's targets)
#   RECORDS=200000 bench/run.sh       # a quick run
#   PROFILE=1 RECORDS=200000 bench/run.sh   # + JFR recording of the service: bench/target/tally.jfr
#   SCENARIOS=copy,batch bench/run.sh       # no `kafka` in SCENARIOS: no broker, service without Kafka
#   JAR=/tmp/tally-old.jar bench/run.sh     # another build of the service (bench/ab.sh uses it)
#   TIMES=uniform bench/run.sh              # record times uniform over 30 days (default: realistic)
#
# Settings (environment): RECORDS, TIMES (realistic: records arrive close to their time; uniform:
# spread over 30 days), SINGLE_DRIVER (wrk; jdk: the bench's JDK HttpClient threads), SINGLE_SECONDS
# (30, wrk), WRK_THREADS (2), SINGLE_RECORDS (jdk driver; default RECORDS/20), CLIENTS (64: wrk's
# connections or the jdk driver's threads), SENDERS (4),
# STEADY_SECONDS (30), STEADY_WARMUP_SECONDS (5), STEADY_RATE (1000), TOTALS_RECORDS (10000000),
# SCENARIOS (copy,batch,single,steady,aggregate,kafka,totals), PORT (18080),
# DB (tally_bench), SERVICE_JVM_OPTS, SERVICE_ARGS (extra --key=value arguments of the service),
# BENCH_ARGS (extra key=value settings of the bench), BENCH_JVM_OPTS (the bench's JVM; -Xmx3g),
# KAFKA_PORT (19092; the KRaft controller listens on KAFKA_PORT+1), KAFKA_DIR (bench/target/kafka),
# KAFKA_HEAP (-Xms512m -Xmx512m -XX:+UseSerialGC) -- only used when SCENARIOS contains kafka.
# JAR (the service jar to run; default: this tree's, built first), BUILD_BENCH (1; 0: use the
# bench/target/tally-bench.jar already built).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

RECORDS=${RECORDS:-1000000}
PORT=${PORT:-18080}
DB=${DB:-tally_bench}
SCENARIOS=${SCENARIOS:-copy,batch,single,steady,aggregate,kafka,totals}
KAFKA_PORT=${KAFKA_PORT:-19092}
KAFKA_DIR=${KAFKA_DIR:-$root/bench/target/kafka}
KAFKA_HEAP=${KAFKA_HEAP:--Xms512m -Xmx512m -XX:+UseSerialGC}
KAFKA_MAX_POLL_RECORDS=${KAFKA_MAX_POLL_RECORDS-}
KAFKA_CONCURRENCY=${KAFKA_CONCURRENCY-}
TIMES=${TIMES:-realistic}
SINGLE_DRIVER=${SINGLE_DRIVER:-wrk}
kafka=0
[[ ",$SCENARIOS," == *,kafka,* ]] && kafka=1
SERVICE_JVM_OPTS=${SERVICE_JVM_OPTS:--Xms256m -Xmx256m -XX:+UseSerialGC -XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=64m -Xss512k}
# The service's GC pauses, with wall-clock times to set beside the steady scenario's slow seconds.
GC_LOG_OPTS="-Xlog:gc:file=$root/bench/target/gc.log:time,uptime"
mkdir -p bench/target
log=bench/target/service.log

# --- PostgreSQL ------------------------------------------------------------------------------
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 60); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432 >/dev/null

# --- wrk (the single scenario's client): Debian's package, installed when missing ----------------
if [[ ",$SCENARIOS," == *,single,* ]] && [ "$SINGLE_DRIVER" = wrk ] && ! command -v wrk >/dev/null; then
  if command -v apt-get >/dev/null; then
    echo "Installing wrk (apt-get install wrk)..."
    apt-get install -y -q wrk >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }
  fi
  command -v wrk >/dev/null || { echo "The single scenario needs wrk (apt-get install wrk), or SINGLE_DRIVER=jdk"; exit 1; }
fi

# --- Build -----------------------------------------------------------------------------------
mvn_offline_first() { ./mvnw -B -q -o "$@" || ./mvnw -B -q "$@"; }
jar=${JAR:-}
if [ -z "$jar" ]; then
  echo "Building the service..."
  mvn_offline_first package -DskipTests
  jar=$(ls target/tally-*.jar | grep -v original | head -n 1)
fi
[ -f "$jar" ] || { echo "No service jar at $jar"; exit 1; }
if [ "${BUILD_BENCH:-1}" = 1 ]; then
  echo "Building the bench..."
  mvn_offline_first -f bench/pom.xml package -DskipTests
fi

# --- Fresh database ------------------------------------------------------------------------
psql -q -h 127.0.0.1 -U postgres -d postgres -v ON_ERROR_STOP=1 <<SQL >/dev/null
SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$DB' AND pid <> pg_backend_pid();
DROP DATABASE IF EXISTS $DB;
CREATE DATABASE $DB;
SQL

# --- Kafka (only for the kafka scenario): a fresh single-node KRaft broker ---------------------
kafka_local() {
  KAFKA_LOCAL_DIR="$KAFKA_DIR" KAFKA_LOCAL_PORT="$KAFKA_PORT" KAFKA_LOCAL_CONTROLLER_PORT=$((KAFKA_PORT + 1)) \
  KAFKA_LOCAL_HEAP="$KAFKA_HEAP" scripts/kafka-local.sh "$@"
}
service_pid=
stop_all() {
  if [ -n "$service_pid" ] && kill -0 "$service_pid" 2>/dev/null; then
    kill "$service_pid"
    wait "$service_pid" 2>/dev/null || true
  fi
  if [ "$kafka" = 1 ]; then kafka_local stop >/dev/null || true; fi
}
trap stop_all EXIT
kafka_env=()
if [ "$kafka" = 1 ]; then
  kafka_local reset >/dev/null   # this bench's own folder: stops a leftover broker of ours, deletes its data
  for p in "$KAFKA_PORT" $((KAFKA_PORT + 1)); do
    # Never point the service at somebody else's broker: the ports must be free.
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "Port $p is in use (another bench's broker?); choose another KAFKA_PORT"; kafka=0; exit 1
    fi
  done
  kafka_local start
  kafka_env=(SPRING_KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$KAFKA_PORT")
  [ -n "$KAFKA_MAX_POLL_RECORDS" ] && kafka_env+=(TALLY_KAFKA_CONSUMER_MAX_POLL_RECORDS="$KAFKA_MAX_POLL_RECORDS")
  [ -n "$KAFKA_CONCURRENCY" ] && kafka_env+=(TALLY_KAFKA_CONSUMER_CONCURRENCY="$KAFKA_CONCURRENCY")
fi

# --- Service -------------------------------------------------------------------------------
jfr=()
if [ "${PROFILE:-0}" = 1 ]; then
  jfr=("-XX:StartFlightRecording=filename=$root/bench/target/tally.jfr,settings=profile,dumponexit=true")
fi
# shellcheck disable=SC2086
env SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:5432/$DB" \
    SPRING_DATASOURCE_USERNAME=postgres SPRING_DATASOURCE_PASSWORD= "${kafka_env[@]}" \
  java $SERVICE_JVM_OPTS $GC_LOG_OPTS "${jfr[@]}" -jar "$jar" --server.port="$PORT" ${SERVICE_ARGS:-} >"$log" 2>&1 &
service_pid=$!
for _ in $(seq 1 120); do
  if curl -fs "http://127.0.0.1:$PORT/actuator/health/readiness" >/dev/null 2>&1; then break; fi
  kill -0 "$service_pid" 2>/dev/null || { echo "The service did not start; see $log"; tail -n 40 "$log"; exit 1; }
  sleep 1
done
echo "Service up (pid $service_pid, port $PORT, JVM: $SERVICE_JVM_OPTS${SERVICE_ARGS:+, args: $SERVICE_ARGS})"
if [ "$kafka" = 1 ]; then
  echo "Kafka 127.0.0.1:$KAFKA_PORT (log $KAFKA_DIR/kafka.log); service consumer: max-poll-records ${KAFKA_MAX_POLL_RECORDS:-default}, concurrency ${KAFKA_CONCURRENCY:-default}"
fi
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(psql -h 127.0.0.1 -U postgres -tAc 'SHOW server_version') PostgreSQL"

# --- Bench ---------------------------------------------------------------------------------
args=(url="http://127.0.0.1:$PORT" jdbc="jdbc:postgresql://127.0.0.1:5432/$DB?user=postgres" pid="$service_pid"
      records="$RECORDS" scenarios="$SCENARIOS" kafka="127.0.0.1:$KAFKA_PORT" out="$root/bench/target/results.md"
      times="$TIMES" singleDriver="$SINGLE_DRIVER")
[ -n "${SINGLE_SECONDS:-}" ] && args+=(singleSeconds="$SINGLE_SECONDS")
[ -n "${WRK_THREADS:-}" ] && args+=(wrkThreads="$WRK_THREADS")
[ -n "${SINGLE_RECORDS:-}" ] && args+=(singleRecords="$SINGLE_RECORDS")
[ -n "${CLIENTS:-}" ] && args+=(clients="$CLIENTS")
[ -n "${SENDERS:-}" ] && args+=(senders="$SENDERS")
[ -n "${STEADY_SECONDS:-}" ] && args+=(steadySeconds="$STEADY_SECONDS")
[ -n "${STEADY_WARMUP_SECONDS:-}" ] && args+=(steadyWarmUpSeconds="$STEADY_WARMUP_SECONDS")
[ -n "${STEADY_RATE:-}" ] && args+=(steadyRate="$STEADY_RATE")
[ -n "${TOTALS_RECORDS:-}" ] && args+=(totalsRecords="$TOTALS_RECORDS")
# shellcheck disable=SC2206
[ -n "${BENCH_ARGS:-}" ] && args+=($BENCH_ARGS)
status=0
# shellcheck disable=SC2086
java ${BENCH_JVM_OPTS:--Xmx3g} -jar bench/target/tally-bench.jar "${args[@]}" || status=$?
echo "Table also in bench/target/results.md; service log in $log"
exit $status
