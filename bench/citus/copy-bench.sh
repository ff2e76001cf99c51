#!/usr/bin/env bash
# copy-bench.sh TARGET MODE [TXS]: the planned writer's transaction, TXS (default 20) times per
# writer, one writer per partition in $PARTS (default "1 2": they run at once, one psql each):
#   BEGIN; SELECT ... FROM sequencer WHERE partition_id = P FOR UPDATE;
#   COPY records FROM STDIN (10,000 rows of partition P)  [+ COPY record_ids FROM STDIN];
#   UPDATE sequencer SET last_seq = last_seq + 10000 WHERE partition_id = P; COMMIT;
# TARGET: citus (coordinator 127.0.0.1:5441, db citus_scratch) | pg (plain PostgreSQL 15 on
#         127.0.0.1:5432, db citus_baseline_scratch).
# MODE:   records | records_text | records_ids | records_ids_seq (record_ids with
#         citus.multi_shard_modify_mode = 'sequential': one connection per worker, not per shard)
#         | records_gseq (records + UPDATE of the one feed_position row as the last statement)
# Input: gen-data.sh. Tables are truncated first. Prints one line: rows, wall s, rows/s, and the
# CPU seconds of each writer's own backend and (Citus) of every process of each worker node.
set -euo pipefail
TARGET="$1"; MODE="$2"; TXS="${3:-20}"; PARTS="${PARTS:-1 2}"; ROWS=10000
DATA="${DATA:-/tmp/citus-bench/data}"; OUT="${OUT:-/tmp/citus-bench/out}"; mkdir -p "$OUT"
case "$TARGET" in
  citus) PORT=5441; DB=citus_scratch; WORKERS="5442 5443" ;;
  pg)    PORT=5432; DB=citus_baseline_scratch; WORKERS="" ;;
  *) echo "bad target $TARGET" >&2; exit 2 ;;
esac
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d "$DB")
TCK=$(getconf CLK_TCK)

# CPU ticks of a node: its live children, then its postmaster including what exited children
# left in its cutime/cstime (the postmaster reaps its backends). Children first: one reaped while
# we read is then in the postmaster's cutime, not lost.
node_ticks() {
  local pm c t=0; pm=$(head -1 "/tmp/citus/data-$1/postmaster.pid")
  for c in $(pgrep -P "$pm") "$pm"; do
    [[ -r /proc/$c/stat ]] || continue
    t=$(( t + $(sed 's/^.*) //' "/proc/$c/stat" 2>/dev/null | awk '{print $12+$13+$14+$15}') ))
  done
  echo "$t"
}

"${PSQL[@]}" -c "TRUNCATE records, record_ids, alerts; UPDATE sequencer SET last_seq = 0, last_alert_seq = 0; UPDATE feed_position SET last_seq = 0"
"${PSQL[@]}" -c "CHECKPOINT"
for w in $WORKERS; do psql -X -q -h 127.0.0.1 -p "$w" -U postgres -d citus_scratch -c CHECKPOINT; done

fmt="FORMAT binary"; ext=bin
[[ "$MODE" == records_text ]] && { fmt="FORMAT text"; ext=txt; }
for p in $PARTS; do
  s="$OUT/$TARGET-$MODE-p$p.sql"
  {
    echo "SELECT pg_backend_pid() AS bpid \\gset"
    for (( i=0; i<TXS; i++ )); do
      echo "BEGIN;"
      [[ "$MODE" == records_ids_seq ]] && echo "SET LOCAL citus.multi_shard_modify_mode = 'sequential';"
      echo "SELECT last_seq FROM sequencer WHERE partition_id = $p FOR UPDATE \\g /dev/null"
      echo "\\copy records FROM '$DATA/p${p}_t${i}.$ext' WITH ($fmt)"
      [[ "$MODE" == records_ids* ]] && echo "\\copy record_ids FROM '$DATA/p${p}_t${i}.ids.bin' WITH (FORMAT binary)"
      echo "UPDATE sequencer SET last_seq = last_seq + $ROWS WHERE partition_id = $p;"
      [[ "$MODE" == records_gseq ]] && echo "UPDATE feed_position SET last_seq = last_seq + $ROWS WHERE id = 1;"
      echo "COMMIT;"
    done
    echo "\\setenv BPID :bpid"
    echo "\\! sed 's/^.*) //' /proc/\$BPID/stat | awk '{print \$12+\$13}' > $OUT/$TARGET-$MODE-p$p.ticks"
  } > "$s"
done

declare -A w0
for w in $WORKERS; do w0[$w]=$(node_ticks "$w"); done
t0=$(date +%s.%N)
pids=()
for p in $PARTS; do "${PSQL[@]}" -f "$OUT/$TARGET-$MODE-p$p.sql" & pids+=($!); done
for pid in "${pids[@]}"; do wait "$pid"; done
t1=$(date +%s.%N)
# the coordinator's connections to the workers close when its backends exit: let the workers'
# backends exit and be reaped before their CPU is read
sleep 1
wcpu=""
for w in $WORKERS; do wcpu+=" worker$w=$(awk -v a="${w0[$w]}" -v b="$(node_ticks "$w")" -v t="$TCK" 'BEGIN{printf "%.2f", (b-a)/t}')s"; done
bcpu=""
for p in $PARTS; do bcpu+=" backend_p$p=$(awk -v a="$(cat "$OUT/$TARGET-$MODE-p$p.ticks")" -v t="$TCK" 'BEGIN{printf "%.2f", a/t}')s"; done

n=$("${PSQL[@]}" -tAc "SELECT count(*) FROM records")
want=$(( TXS * ROWS * $(wc -w <<< "$PARTS") ))
[[ "$n" == "$want" ]] || { echo "FAIL: $n records, want $want" >&2; exit 1; }
if [[ "$MODE" == records_ids* ]]; then
  ni=$("${PSQL[@]}" -tAc "SELECT count(*) FROM record_ids")
  [[ "$ni" == "$want" ]] || { echo "FAIL: $ni record_ids, want $want" >&2; exit 1; }
fi
awk -v tg="$TARGET" -v m="$MODE" -v wr="$(wc -w <<< "$PARTS")" -v n="$n" -v a="$t0" -v b="$t1" -v c="$bcpu$wcpu" -v l="$(cut -d' ' -f1 /proc/loadavg)" \
  'BEGIN{printf "%-6s %-16s writers=%d rows=%d wall=%.2fs rows/s=%.0f cpu:%s load1=%s\n", tg, m, wr, n, b-a, n/(b-a), c, l}'
