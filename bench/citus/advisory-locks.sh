#!/usr/bin/env bash
# advisory-locks.sh: are PostgreSQL advisory locks (Tally's LeaderLock: pg_try_advisory_lock(k1,
# k2) on a session of its own) cluster-wide on Citus? A session on the coordinator holds the lock;
# others then try it on the coordinator, on each worker, and through run_command_on_workers.
set -euo pipefail
q() { psql -X -q -At -h 127.0.0.1 -p "$1" -U postgres -d citus_scratch -c "$2"; }
psql -X -q -At -h 127.0.0.1 -p 5441 -U postgres -d citus_scratch \
  -c "SELECT 'holder on coordinator: ' || pg_try_advisory_lock(8255, 1)" -c "SELECT pg_sleep(4)" &
holder=$!
sleep 1.5
echo "second session, coordinator 5441: $(q 5441 "SELECT pg_try_advisory_lock(8255, 1)")"
echo "session on worker 5442:           $(q 5442 "SELECT pg_try_advisory_lock(8255, 1)")"
echo "session on worker 5443:           $(q 5443 "SELECT pg_try_advisory_lock(8255, 1)")"
echo "run_command_on_workers:           $(q 5441 "SELECT string_agg(nodeport || '=' || result, ' ') FROM run_command_on_workers('SELECT pg_try_advisory_lock(8255, 1)')")"
echo "citus_locks rows for the lock:    $(q 5441 "SELECT count(*) FROM citus_locks WHERE locktype = 'advisory' AND objid = 1 AND classid = 8255")"
wait "$holder"
