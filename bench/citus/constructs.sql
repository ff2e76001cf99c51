-- constructs.sql: which SQL constructs of the write/read path Citus runs, and how it plans them
-- (router = one shard, sent as is to one worker; via coordinator = intermediate results or
-- pull-to-coordinator; error). Run on the coordinator after schema.sql (citus=1):
--   psql -X -h 127.0.0.1 -p 5441 -U postgres -d citus_scratch -f constructs.sql
-- Not while copy-bench.sh runs: it truncates the same tables.
-- Errors are expected for some cases: ON_ERROR_STOP is off and VERBOSITY shows the SQLSTATE.
\set ON_ERROR_STOP off
\set VERBOSITY verbose
TRUNCATE records, record_ids, alerts;
UPDATE sequencer SET last_seq = 0, last_alert_seq = 0;

\echo '== A. data-modifying CTE: take the seq and insert the record in one statement (one partition)'
EXPLAIN (COSTS OFF)
WITH s AS (UPDATE sequencer SET last_seq = last_seq + 1 WHERE partition_id = 1 RETURNING last_seq)
INSERT INTO records (partition_id, seq, record_id, record_time, source_id, destination_id, record_type, amount, amount_scale, unit, reference, processed_at, summary_previous)
SELECT 1, s.last_seq, 'cte-1', now(), 's', 'd', 'positive', 1, 2, 'SEK', 'r', now(), '{}' FROM s;
\echo '== A2. INSERT in a CTE whose result feeds a SELECT (alerts, one partition)'
EXPLAIN (COSTS OFF)
WITH ins AS (INSERT INTO alerts (partition_id, alert_seq, record_seq, payload) VALUES (1, 1, 1, '{}') RETURNING alert_seq)
SELECT alert_seq FROM ins;

\echo '== B. INSERT ... SELECT FROM unnest(arrays) into one partition (the array binding of today)'
EXPLAIN (COSTS OFF)
INSERT INTO records (partition_id, seq, record_id, record_time, source_id, destination_id, record_type, amount, amount_scale, unit, reference, processed_at, summary_previous)
SELECT 1, s, 'u-' || s, now(), 's', 'd', 'positive', 1, 2, 'SEK', 'r', now(), '{}' FROM unnest(ARRAY[10, 11]::bigint[]) AS s;

\echo '== C1. INSERT ... ON CONFLICT DO NOTHING RETURNING, one shard (records)'
EXPLAIN (COSTS OFF)
INSERT INTO records (partition_id, seq, record_id, record_time, source_id, destination_id, record_type, amount, amount_scale, unit, reference, processed_at, summary_previous)
VALUES (1, 20, 'oc-20', now(), 's', 'd', 'positive', 1, 2, 'SEK', 'r', now(), '{}')
ON CONFLICT (partition_id, seq) DO NOTHING RETURNING seq;
\echo '== C2. multi-row INSERT ... ON CONFLICT DO NOTHING RETURNING into record_ids (rows on several shards): the batch claims its recordIds, a missing row is a recordId already taken'
INSERT INTO record_ids (record_id, partition_id) VALUES ('dup-1', 2);
SELECT count(DISTINCT get_shard_id_for_distribution_column('record_ids', r)) AS shards
FROM unnest(ARRAY['dup-1', 'new-1', 'new-2', 'new-3', 'new-4']) AS r;
INSERT INTO record_ids (record_id, partition_id)
VALUES ('dup-1', 1), ('new-1', 1), ('new-2', 1), ('new-3', 1), ('new-4', 1)
ON CONFLICT (record_id) DO NOTHING RETURNING record_id;
\echo '== C2b. the same claim in sequential mode, with the commands sent (one connection per worker, 2PC)'
BEGIN;
SET LOCAL citus.multi_shard_modify_mode = 'sequential';
SET LOCAL citus.log_remote_commands = on;
SET LOCAL client_min_messages = notice;
INSERT INTO record_ids (record_id, partition_id)
VALUES ('seq-1', 1), ('seq-2', 1), ('seq-3', 1), ('seq-4', 1)
ON CONFLICT (record_id) DO NOTHING RETURNING record_id;
COMMIT;
\echo '== C3. INSERT ... ON CONFLICT DO UPDATE, one shard (sequencer)'
INSERT INTO sequencer (partition_id, last_seq, last_alert_seq) VALUES (3, 0, 0)
ON CONFLICT (partition_id) DO UPDATE SET last_seq = sequencer.last_seq RETURNING partition_id, last_seq;
\echo '== C4. INSERT ... SELECT ... ON CONFLICT into record_ids'
EXPLAIN (COSTS OFF)
INSERT INTO record_ids (record_id, partition_id)
SELECT r, 1 FROM unnest(ARRAY['new-1', 'new-5']) AS r ON CONFLICT (record_id) DO NOTHING RETURNING record_id;

\echo '== D. duplicate recordId: INSERT and COPY report which SQLSTATE'
INSERT INTO record_ids (record_id, partition_id) VALUES ('dup-1', 3);
COPY record_ids FROM STDIN;
dup-1	3
\.

\echo '== E1. SELECT ... FOR UPDATE of one partition (router)'
BEGIN;
EXPLAIN (COSTS OFF) SELECT last_seq FROM sequencer WHERE partition_id = 1 FOR UPDATE;
SELECT last_seq FROM sequencer WHERE partition_id = 1 FOR UPDATE;
COMMIT;
\echo '== E2. SELECT ... FOR UPDATE of two partitions in different shards (multi-shard)'
BEGIN;
SELECT partition_id, last_seq FROM sequencer WHERE partition_id IN (1, 2) FOR UPDATE;
ROLLBACK;
\echo '== E3. SELECT ... FOR UPDATE of all sequencer rows'
BEGIN;
SELECT count(*) FROM (SELECT partition_id FROM sequencer FOR UPDATE) AS l;
ROLLBACK;
\echo '== E4. FOR UPDATE join of co-located tables, same partition'
BEGIN;
SELECT s.last_seq, a.alert_seq FROM sequencer s LEFT JOIN alerts a ON a.partition_id = s.partition_id
WHERE s.partition_id = 1 FOR UPDATE OF s;
ROLLBACK;

\echo '== F1. a sequence on the coordinator: nextval there'
DROP SEQUENCE IF EXISTS scratch_global_seq;
CREATE SEQUENCE scratch_global_seq;
SELECT nextval('scratch_global_seq'), nextval('scratch_global_seq');
\echo '== F2. a bigserial column of a distributed table (values taken where the INSERT runs)'
DROP TABLE IF EXISTS scratch_serial;
CREATE TABLE scratch_serial (partition_id SMALLINT NOT NULL, id BIGSERIAL, PRIMARY KEY (partition_id, id));
SELECT create_distributed_table('scratch_serial', 'partition_id', colocate_with => 'sequencer');
INSERT INTO scratch_serial (partition_id) VALUES (1), (2), (1) RETURNING partition_id, id;
\echo '== F3. nextval of that sequence on a worker (metadata is synced to workers)'
\! psql -X -h 127.0.0.1 -p 5442 -U postgres -d citus_scratch -c "INSERT INTO scratch_serial (partition_id) VALUES (1) RETURNING id" 2>&1

\echo '== G1. records reads: a time window over all partitions (multi-shard, merged on the coordinator)'
EXPLAIN (COSTS OFF)
SELECT record_id, amount FROM records WHERE record_time >= '2026-11-01' AND record_time < '2026-11-02' ORDER BY record_time LIMIT 10;
\echo '== G2. a feed page of one partition by seq (router)'
EXPLAIN (COSTS OFF)
SELECT seq, record_id FROM records WHERE partition_id = 1 AND seq > 0 ORDER BY seq LIMIT 100;
\echo '== G3. a feed page over all partitions by a global position (no such column: merge per partition)'
EXPLAIN (COSTS OFF)
SELECT partition_id, seq, record_id FROM records ORDER BY processed_at, partition_id, seq LIMIT 100;

\echo '== H. DELETE of pruned rows: one partition (router) and all partitions (multi-shard)'
EXPLAIN (COSTS OFF) DELETE FROM alerts WHERE partition_id = 1 AND alert_seq <= 10;
SET citus.log_remote_commands = on;
SET client_min_messages = notice;
DELETE FROM alerts WHERE alert_seq <= 10;
RESET citus.log_remote_commands;
RESET client_min_messages;

DROP TABLE IF EXISTS scratch_serial;
DROP SEQUENCE IF EXISTS scratch_global_seq;
