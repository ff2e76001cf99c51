#!/bin/bash
# usage: bench/lab/fold-cost.sh hour|day|week [STEP] [FILLFACTOR] -> backend CPU seconds to fold all records into that level one upsert statement per STEP seqs, as the folder does per round, and its rows
L=$1; STEP=${2:-10000}; FF=${3:-100}; T=${L}ly_totals; [ "$L" = day ] && T=daily_totals; C=${L}_start
P="psql -h 127.0.0.1 -U postgres -d ${DB:-tally_lab} -qXtA -v ON_ERROR_STOP=1"
$P -c "TRUNCATE $T; ALTER TABLE $T SET (fillfactor = $FF); CHECKPOINT;" >/dev/null
$P <<SQL
SELECT (split_part(pg_read_file('/proc/self/stat'), ' ', 14)::bigint + split_part(pg_read_file('/proc/self/stat'), ' ', 15)::bigint) AS t0 \gset
DO \$\$
DECLARE s bigint := 0; n bigint;
BEGIN
  SELECT max(seq) INTO n FROM records;
  WHILE s < n LOOP
    INSERT INTO $T (destination_id, unit, record_type, $C, record_count, amount_sum, max_scale)
    SELECT destination_id, unit, record_type, date_trunc('$L', record_time AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', COUNT(*), SUM(amount), MAX(amount_scale)
    FROM records WHERE seq > s AND seq <= s + $STEP GROUP BY 1,2,3,4
    ON CONFLICT (destination_id, unit, record_type, $C) DO UPDATE SET record_count = $T.record_count + EXCLUDED.record_count, amount_sum = $T.amount_sum + EXCLUDED.amount_sum, max_scale = GREATEST($T.max_scale, EXCLUDED.max_scale);
    s := s + $STEP;
  END LOOP;
END \$\$;
SELECT round(((split_part(pg_read_file('/proc/self/stat'), ' ', 14)::bigint + split_part(pg_read_file('/proc/self/stat'), ' ', 15)::bigint) - :t0) / 100.0, 2) || ' s, rows ' || (SELECT count(*) FROM $T);
SQL
