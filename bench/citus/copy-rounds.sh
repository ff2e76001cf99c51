#!/usr/bin/env bash
# copy-rounds.sh [ROUNDS]: copy-bench.sh's cases interleaved, Citus next to plain PostgreSQL 15 in
# the same minute, ROUNDS (default 3) times. Output: one line per case (see copy-bench.sh).
set -euo pipefail
cd "$(dirname "$0")"
R="${1:-3}"
for (( r=1; r<=R; r++ )); do
  echo "# round $r $(date -u +%H:%M:%S)"
  PARTS=1   ./copy-bench.sh pg    records
  PARTS=1   ./copy-bench.sh citus records
  PARTS="1 2" ./copy-bench.sh pg    records
  PARTS="1 2" ./copy-bench.sh citus records
  PARTS=1   ./copy-bench.sh pg    records_text
  PARTS=1   ./copy-bench.sh citus records_text
  PARTS=1   ./copy-bench.sh pg    records_ids
  PARTS=1   ./copy-bench.sh citus records_ids
  PARTS=1   ./copy-bench.sh citus records_ids_seq
  PARTS="1 2" ./copy-bench.sh pg    records_gseq
  PARTS="1 2" ./copy-bench.sh citus records_gseq
done
