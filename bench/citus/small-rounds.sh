#!/usr/bin/env bash
# small-rounds.sh [ROUNDS] [SECONDS] [CLIENTS]: one record per transaction (pgbench, -M simple),
# Citus coordinator next to plain PostgreSQL 15, for small-tx (records only), small-tx-ids
# (+ record_ids: 2PC on Citus) and small-tx-gseq (+ one global feed_position row). Defaults: 2
# rounds of 15 s, 4 clients on random partitions of 16. Prints tps and mean latency per case.
set -euo pipefail
cd "$(dirname "$0")"
R="${1:-2}"; T="${2:-15}"; C="${3:-4}"
run() { # target script
  local port db
  case "$1" in citus) port=5441; db=citus_scratch ;; pg) port=5432; db=citus_baseline_scratch ;; esac
  psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d "$db" \
    -c "TRUNCATE records, record_ids, alerts; UPDATE sequencer SET last_seq = 0; UPDATE feed_position SET last_seq = 0"
  local out; out=$(pgbench -n -M simple -h 127.0.0.1 -p "$port" -U postgres -c "$C" -j 2 -T "$T" -f "$2" "$db" 2>&1) \
    || { echo "$out" >&2; return 1; }
  printf '%-6s %-22s clients=%d %s %s failed=%s load1=%s\n' "$1" "$2" "$C" \
    "$(grep -oE 'tps = [0-9.]+' <<< "$out" | head -1 | tr -d ' ')" \
    "$(grep -oE 'latency average = [0-9.]+ ms' <<< "$out" | sed 's/latency average = /lat_avg=/; s/ ms/ms/')" \
    "$(grep -oE 'number of failed transactions: [0-9]+' <<< "$out" | grep -oE '[0-9]+$' || echo 0)" \
    "$(cut -d' ' -f1 /proc/loadavg)"
}
for (( r=1; r<=R; r++ )); do
  echo "# round $r $(date -u +%H:%M:%S)"
  for s in small-tx.pgbench small-tx-ids.pgbench small-tx-gseq.pgbench; do
    run citus "$s"; run pg "$s"
  done
done
