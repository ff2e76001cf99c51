#!/usr/bin/env bash
# The one-record-per-request path, A/B of service jars by their CPU per request: each round starts
# a jar on a fresh PostgreSQL database, warms it up with wrk, then runs wrk again and reads the
# service's CPU time (utime + stime of /proc/PID/stat) around that run. Every request is a new
# valid record (POST /v1/records). Rounds alternate A B, B A, A B, ... See docs/performance.md
# ("One record per request").
#
#   bench/wrk-ab.sh /tmp/a.jar /tmp/b.jar                   # 2 rounds each
#   ROUNDS=3 B_ARGS=--management.tracing.sampling.probability=0 bench/wrk-ab.sh a.jar a.jar
#
# Settings (environment): ROUNDS (2: rounds of each jar), WARMUP_SECONDS (10), SECONDS_RUN (20),
# THREADS (2, wrk's), CONNECTIONS (64), PORT (18380), DB (tally_wrk_ab; dropped and created each
# round), SERVICE_JVM_OPTS, A_ARGS / B_ARGS (extra --key=value arguments of the service per side),
# JVM_A / JVM_B (extra JVM options per side, e.g. -XX:StartFlightRecording=...), OUT_DIR
# (bench/target/wrk-ab: each round's wrk output and service log, and the table wrk-ab.md).
# The figure is CPU time, not wall time: it stays meaningful on a machine shared with other work,
# where created/s and p99 do not.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

if [ $# -lt 2 ]; then
  sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
jar_a=$(realpath "$1")
jar_b=$(realpath "$2")
ROUNDS=${ROUNDS:-2}
WARMUP_SECONDS=${WARMUP_SECONDS:-10}
SECONDS_RUN=${SECONDS_RUN:-20}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
PORT=${PORT:-18380}
DB=${DB:-tally_wrk_ab}
SERVICE_JVM_OPTS=${SERVICE_JVM_OPTS:--Xms256m -Xmx256m -XX:+UseSerialGC}
OUT_DIR=${OUT_DIR:-$root/bench/target/wrk-ab}
mkdir -p "$OUT_DIR"
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)"; exit 1; }
pg_isready -q -h 127.0.0.1 -p 5432 || { echo "needs PostgreSQL on 127.0.0.1:5432"; exit 1; }
ticks=$(getconf CLK_TCK)

# Every request a new record: recordId RUN-thread-n (RUN differs per wrk run, so the warm-up and
# the measured run never collide), destinations and references spread, times within the last hour.
lua=$OUT_DIR/records.lua
cat >"$lua" <<'LUA'
local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end
function init(args)
  run, sent, statuses = args[1] or "r", 0, {}
end
function request()
  sent = sent + 1
  local now = os.time() - (sent % 3600)
  local body = string.format(
    '{"recordId":"%s-%d-%d","time":"%s","sourceId":"wrk","destinationId":"acct-%d","type":"%s",'
      .. '"value":"%d.%02d","unit":"SEK","reference":"ref-%d"}',
    run, tid, sent, os.date("!%Y-%m-%dT%H:%M:%SZ", now), (sent * 7 + tid) % 1000,
    sent % 4 == 0 and "negative" or "positive", sent % 997, sent % 100, sent % 50)
  return wrk.format("POST", "/v1/records", {["Content-Type"] = "application/json"}, body)
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  local all = {}
  for _, t in ipairs(threads) do
    for status, count in pairs(t:get("statuses")) do all[status] = (all[status] or 0) + count end
  end
  for status, count in pairs(all) do print(string.format("tally status %d %d", status, count)) end
  print(string.format("tally summary %d %d", summary.duration, summary.requests))
  print(string.format("tally latency %d %d", latency:percentile(50), latency:percentile(99)))
end
LUA

service_pid=
stop_service() {
  if [ -n "$service_pid" ] && kill -0 "$service_pid" 2>/dev/null; then
    kill "$service_pid"
    wait "$service_pid" 2>/dev/null || true
  fi
  service_pid=
}
trap stop_service EXIT

cpu_ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }

# round SIDE N: one measured run of jar SIDE; appends "side n requests created seconds cpu p50 p99".
round() {
  local side=$1 n=$2 jar args jvm
  if [ "$side" = A ]; then jar=$jar_a args=${A_ARGS:-} jvm=${JVM_A:-}; else jar=$jar_b args=${B_ARGS:-} jvm=${JVM_B:-}; fi
  psql -q -h 127.0.0.1 -U postgres -d postgres -v ON_ERROR_STOP=1 >/dev/null <<SQL
SET client_min_messages = warning;
SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$DB' AND pid <> pg_backend_pid();
DROP DATABASE IF EXISTS $DB;
CREATE DATABASE $DB;
SQL
  local log=$OUT_DIR/$side-$n.service.log
  # shellcheck disable=SC2086
  env SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:5432/$DB" SPRING_DATASOURCE_USERNAME=postgres \
      SPRING_DATASOURCE_PASSWORD= java $SERVICE_JVM_OPTS $jvm -jar "$jar" --server.port="$PORT" $args >"$log" 2>&1 &
  service_pid=$!
  for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$PORT/actuator/health/readiness" >/dev/null 2>&1 && break
    kill -0 "$service_pid" 2>/dev/null || { echo "the service did not start; see $log"; exit 1; }
    sleep 1
  done
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP_SECONDS}s" -s "$lua" "http://127.0.0.1:$PORT" -- "warm$n$side" \
    >"$OUT_DIR/$side-$n.warmup.txt"
  local before after
  before=$(cpu_ticks "$service_pid")
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_RUN}s" -s "$lua" "http://127.0.0.1:$PORT" -- "run$n$side" \
    >"$OUT_DIR/$side-$n.wrk.txt"
  after=$(cpu_ticks "$service_pid")
  stop_service
  awk -v side="$side" -v n="$n" -v cpu=$((after - before)) -v hz="$ticks" '
    $1 == "tally" && $2 == "status" && $3 == 201 { created = $4 }
    $1 == "tally" && $2 == "summary" { us = $3; requests = $4 }
    $1 == "tally" && $2 == "latency" { p50 = $3; p99 = $4 }
    END { printf "%s %d %d %d %.3f %.2f %.1f %.1f\n", side, n, requests, created, us / 1e6, cpu / hz, p50 / 1e3, p99 / 1e3 }' \
    "$OUT_DIR/$side-$n.wrk.txt" | tee -a "$OUT_DIR/rounds.txt"
}

echo "A: $jar_a ${A_ARGS:-}"
echo "B: $jar_b ${B_ARGS:-}"
: >"$OUT_DIR/rounds.txt"
echo "side round requests created seconds cpu_s p50_ms p99_ms"
for n in $(seq 1 "$ROUNDS"); do
  if [ $((n % 2)) = 1 ]; then round A "$n"; round B "$n"; else round B "$n"; round A "$n"; fi
done

{
  echo "A: $(basename "$jar_a") ${A_ARGS:-}${JVM_A:+ (JVM: $JVM_A)}"
  echo "B: $(basename "$jar_b") ${B_ARGS:-}${JVM_B:+ (JVM: $JVM_B)}"
  echo
  echo "| side | round | requests | created/s | p50 | p99 | service CPU | CPU per request |"
  echo "|---|---|---|---|---|---|---|---|"
  sort -k1,1 -k2,2n "$OUT_DIR/rounds.txt" | awk '{
    printf "| %s | %d | %d | %.0f | %.1f ms | %.1f ms | %.2f s | %.3f ms |\n",
      $1, $2, $3, $4 / $5, $7, $8, $6, ($3 > 0 ? 1000 * $6 / $3 : 0) }'
} | tee "$OUT_DIR/wrk-ab.md"
