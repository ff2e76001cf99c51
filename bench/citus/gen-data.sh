#!/usr/bin/env bash
# gen-data.sh: the COPY input for copy-bench.sh, generated once by the plain PostgreSQL 15 on
# 127.0.0.1:5432 (COPY ... TO, binary and text) into $DATA (default /tmp/citus-bench/data).
# For partitions $PARTS (default "1 2") and $TXS (default 20) transactions of $ROWS (10,000) rows:
#   p<P>_t<I>.bin / .txt   records rows (partition P, seq I*ROWS+1 .. (I+1)*ROWS)
#   p<P>_t<I>.ids.bin       the same rows' (record_id, partition_id) for record_ids
# Binary COPY files are portable between the same PostgreSQL major version, which both sides are.
set -euo pipefail
DATA="${DATA:-/tmp/citus-bench/data}"; PARTS="${PARTS:-1 2}"; TXS="${TXS:-20}"; ROWS="${ROWS:-10000}"
mkdir -p "$DATA"
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p 5432 -U postgres -d postgres)
for p in $PARTS; do
  for (( i=0; i<TXS; i++ )); do
    lo=$(( i*ROWS + 1 )); hi=$(( (i+1)*ROWS ))
    q="SELECT $p::smallint, s::bigint, 'rec-$p-' || s,
          timestamptz '2026-11-01 00:00Z' + (s % 2592000) * interval '1 second',
          'src-' || (s % 100), 'dest-$p-' || (s % 1000),
          CASE WHEN s % 3 = 0 THEN 'negative' ELSE 'positive' END,
          ((s % 100000) / 100.0)::numeric(56,18), 2::smallint, 'SEK', 'ref-' || (s % 50), now(),
          '{\"recordCount\":' || (s / 1000) || ',\"firstTime\":\"2026-11-01T00:00:00Z\",\"lastTime\":\"2026-11-30T00:00:00Z\",\"totals\":[{\"unit\":\"SEK\",\"positive\":\"12345.67\",\"negative\":\"890.12\"}]}',
          NULL::varchar
        FROM generate_series($lo, $hi) AS s"
    "${PSQL[@]}" -c "\\copy ($q) TO '$DATA/p${p}_t${i}.bin' WITH (FORMAT binary)"
    "${PSQL[@]}" -c "\\copy ($q) TO '$DATA/p${p}_t${i}.txt'"
    "${PSQL[@]}" -c "\\copy (SELECT 'rec-$p-' || s, $p::smallint FROM generate_series($lo, $hi) AS s) TO '$DATA/p${p}_t${i}.ids.bin' WITH (FORMAT binary)"
  done
done
ls "$DATA" | wc -l; du -sh "$DATA"
