#!/bin/bash
# usage: bench/lab/index-cost.sh "index DDL on lab_records" -> backend CPU seconds of COPYing $TSV (bench/lab/README.md) into a copy of records with those indexes
P="psql -h 127.0.0.1 -U postgres -d ${DB:-tally_lab} -qXtA -v ON_ERROR_STOP=1"
$P -c "DROP TABLE IF EXISTS lab_records; CREATE TABLE lab_records (LIKE records INCLUDING DEFAULTS INCLUDING CONSTRAINTS); $1 CHECKPOINT;" >/dev/null
$P <<SQL
SELECT (split_part(pg_read_file('/proc/self/stat'), ' ', 14)::bigint + split_part(pg_read_file('/proc/self/stat'), ' ', 15)::bigint) AS t0 \gset
\copy lab_records FROM '${TSV:-/tmp/tally-lab-records.tsv}'
SELECT round(((split_part(pg_read_file('/proc/self/stat'), ' ', 14)::bigint + split_part(pg_read_file('/proc/self/stat'), ' ', 15)::bigint) - :t0) / 100.0, 2);
SQL
