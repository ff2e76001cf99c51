#!/usr/bin/env bash
# migrations.sh: do Tally's Flyway migrations (src/main/resources/db/migration) run as-is on the
# Citus coordinator? Each V*.sql, with the placeholders PostgresDialect gives Flyway, runs in one
# transaction (as Flyway runs it) into a fresh schema tally_mig of citus_scratch. Then: which of
# the resulting (coordinator-local) tables could be distributed by their would-be column as is.
set -uo pipefail
cd "$(dirname "$0")/../.."
P=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p 5441 -U postgres -d citus_scratch)
"${P[@]}" -c "DROP SCHEMA IF EXISTS tally_mig CASCADE; CREATE SCHEMA tally_mig" || exit 1
for f in src/main/resources/db/migration/V*.sql; do
  sql=$(sed -e 's/\${collate}/COLLATE "C"/g' \
    -e "s/\${utc_hour_of_record_time}/date_trunc('hour', record_time AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'/g" \
    -e "s/\${utc_day_of_record_time}/date_trunc('day', record_time AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'/g" \
    -e "s/\${utc_week_of_record_time}/date_trunc('week', record_time AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'/g" \
    -e 's/\${summaries_fillfactor}/ALTER TABLE summaries SET (fillfactor = 70);/g' \
    -e 's/\${records_order_include}/INCLUDE (source_id, record_type, amount, amount_scale, unit, reference)/g' "$f")
  if grep -q '\${' <<< "$sql"; then echo "$(basename "$f"): unreplaced placeholder"; continue; fi
  if out=$(PGOPTIONS="-c search_path=tally_mig" "${P[@]}" -1 -c "$sql" 2>&1); then
    echo "$(basename "$f"): ok"
  else
    echo "$(basename "$f"): FAILED: $out"
  fi
done
"${P[@]}" -At -c "SELECT 'tables in tally_mig: ' || string_agg(c.relname || '=' || COALESCE(t.citus_table_type, 'plain local'), ', ' ORDER BY c.relname)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN citus_tables t ON t.table_name = c.oid
  WHERE n.nspname = 'tally_mig' AND c.relkind = 'r'"
echo "-- distributing them as they are:"
for t in "records destination_id" "records record_id" "summaries destination_id" "outbox destination_id" "hourly_totals destination_id"; do
  set -- $t
  out=$("${P[@]}" -At -c "SELECT create_distributed_table('tally_mig.$1', '$2')" 2>&1) && echo "$1 by $2: ok" || echo "$1 by $2: $out"
done
"${P[@]}" -c "DROP SCHEMA tally_mig CASCADE" >/dev/null 2>&1
