#!/usr/bin/env bash
# tally-on-coordinator.sh JAR: start Tally (the built jar, unchanged) with its datasource on the
# Citus coordinator, so that Flyway runs the real migrations there, then post records, read one
# back, and read the notifications feed. Schema tally_fw of citus_scratch (pgjdbc currentSchema);
# created fresh, dropped at the end. Tally's tables end up as plain tables on the coordinator:
# this shows Tally runs on a Citus coordinator as is, not that anything is distributed.
set -euo pipefail
JAR="${1:?usage: tally-on-coordinator.sh JAR}"; PORT="${TALLY_PORT:-18093}"
export PGOPTIONS="-c client_min_messages=warning"
P=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p 5441 -U postgres -d citus_scratch)
"${P[@]}" -c "DROP SCHEMA IF EXISTS tally_fw CASCADE; CREATE SCHEMA tally_fw"
LOG=/tmp/citus-bench/tally-on-coordinator.log
SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:5441/citus_scratch?currentSchema=tally_fw" \
SPRING_DATASOURCE_USERNAME=postgres SPRING_DATASOURCE_PASSWORD= PORT="$PORT" \
  java -Xmx256m -jar "$JAR" > "$LOG" 2>&1 &
app=$!
# errexit applies inside the trap too: the wait for the killed jar returns 143
trap 'kill "$app" 2>/dev/null || true; wait "$app" 2>/dev/null || true; "${P[@]}" -c "DROP SCHEMA IF EXISTS tally_fw CASCADE"' EXIT
for (( i=0; i<120; i++ )); do
  curl -sf "localhost:$PORT/actuator/health/readiness" >/dev/null 2>&1 && break
  kill -0 "$app" 2>/dev/null || { echo "Tally exited:"; tail -40 "$LOG"; exit 1; }
  sleep 1
done
echo "readiness: $(curl -s "localhost:$PORT/actuator/health/readiness")  (after ${i}s)"
grep -E 'Migrating schema|Successfully applied|Flyway|ERROR' "$LOG" | sed 's/^.*\(Migrating\|Successfully\|Flyway\)/\1/' | head -20
echo "flyway_schema_history: $("${P[@]}" -At -c "SELECT string_agg(version || ':' || success, ' ' ORDER BY installed_rank) FROM tally_fw.flyway_schema_history")"
echo "POST one:   $(curl -s -o /dev/null -w '%{http_code}' -X POST "localhost:$PORT/v1/records" -H 'Content-Type: application/json' -d '{"recordId":"c-1","time":"2026-03-01T12:00:00Z","sourceId":"billing","destinationId":"acct-42","type":"positive","value":"125.50","unit":"SEK","reference":"inv-1"}')"
echo "POST again: $(curl -s -o /dev/null -w '%{http_code}' -X POST "localhost:$PORT/v1/records" -H 'Content-Type: application/json' -d '{"recordId":"c-1","time":"2026-03-01T12:00:00Z","sourceId":"billing","destinationId":"acct-42","type":"positive","value":"125.50","unit":"SEK","reference":"inv-1"}')"
echo "batch:      $(curl -s -X POST "localhost:$PORT/v1/records/batch" -H 'Content-Type: application/json' -d '[{"recordId":"c-2","time":"2026-03-01T13:00:00Z","sourceId":"billing","destinationId":"acct-42","type":"negative","value":"20.00","unit":"SEK","reference":"inv-1"},{"recordId":"c-1","time":"2026-03-01T12:00:00Z","sourceId":"billing","destinationId":"acct-7","type":"positive","value":"1","unit":"SEK","reference":"x"}]' | head -c 200)"
echo "GET c-1:    $(curl -s "localhost:$PORT/v1/records/c-1" | head -c 160)"
echo "feed:       $(curl -s "localhost:$PORT/v1/notifications?after=0&limit=10" | head -c 200)"
echo "tables:     $("${P[@]}" -At -c "SELECT string_agg(c.relname || '=' || COALESCE(t.citus_table_type, 'plain'), ' ' ORDER BY c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN citus_tables t ON t.table_name = c.oid WHERE n.nspname = 'tally_fw' AND c.relkind = 'r'")"
grep -c ' ERROR ' "$LOG" | sed 's/^/ERROR lines in the log: /'
