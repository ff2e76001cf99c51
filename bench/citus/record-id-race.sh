#!/usr/bin/env bash
# record-id-race.sh: two writers of different partitions claim the same recordId in record_ids
# (INSERT ... ON CONFLICT DO NOTHING RETURNING, inside their write transactions). Writer A claims
# it and holds its transaction open for 2 s; writer B claims it 0.5 s later. B must wait for A's
# outcome: nothing returned if A commits (B's item is then a duplicate or a conflict), the row if
# A rolls back. Run on the coordinator after schema.sql (citus=1).
set -euo pipefail
P=(psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p 5441 -U postgres -d citus_scratch)
for end in COMMIT ROLLBACK; do
  "${P[@]}" -c "DELETE FROM record_ids WHERE record_id = 'race-1'"
  "${P[@]}" -c "BEGIN" -c "SELECT last_seq FROM sequencer WHERE partition_id = 1 FOR UPDATE" \
    -c "INSERT INTO record_ids VALUES ('race-1', 1) ON CONFLICT (record_id) DO NOTHING RETURNING 'A claimed ' || record_id" \
    -c "SELECT pg_sleep(2)" -c "$end" | grep -v '^$' | sed "s/^/  A: /" &
  a=$!
  sleep 0.5
  t0=$(date +%s.%N)
  got=$("${P[@]}" -c "BEGIN" -c "SELECT last_seq FROM sequencer WHERE partition_id = 2 FOR UPDATE" \
    -c "INSERT INTO record_ids VALUES ('race-1', 2) ON CONFLICT (record_id) DO NOTHING RETURNING record_id" -c "COMMIT" | grep -v '^[0-9]*$' || true)
  t1=$(date +%s.%N)
  wait "$a"
  echo "A ${end}s: B returned '${got}' after waiting $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}') s; owner now: $("${P[@]}" -c "SELECT partition_id FROM record_ids WHERE record_id = 'race-1'")"
done
