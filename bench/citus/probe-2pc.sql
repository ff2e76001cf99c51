-- probe-2pc.sql: which commit protocol Citus uses for each shape of the writer's transaction.
-- citus.log_remote_commands prints every command the coordinator sends to a worker: a
-- one-phase commit ends with COMMIT, a two-phase one with PREPARE TRANSACTION + COMMIT PREPARED.
-- Run on the coordinator after schema.sql (citus=1):
--   psql -X -h 127.0.0.1 -p 5441 -U postgres -d citus_scratch -f probe-2pc.sql 2>&1 | grep -E '^(psql|NOTICE|ERROR|-- )'
\set ON_ERROR_STOP on
TRUNCATE records, record_ids, alerts;
DROP TABLE IF EXISTS feed_global_seq;
-- a plain local table on the coordinator: one row for a global seq taken per batch
CREATE TABLE feed_global_seq (id INT PRIMARY KEY, last_seq BIGINT NOT NULL);
INSERT INTO feed_global_seq VALUES (1, 0);
SET citus.log_remote_commands = on;
SET client_min_messages = notice;

\echo -- case 1: FOR UPDATE sequencer row + COPY of 3 rows of the same partition + UPDATE
BEGIN;
SELECT last_seq FROM sequencer WHERE partition_id = 1 FOR UPDATE;
COPY records (partition_id, seq, record_id, record_time, source_id, destination_id, record_type, amount, amount_scale, unit, reference, processed_at, summary_previous) FROM STDIN;
1	1	p-1	2026-11-01 00:00:01+00	s	d	positive	1.00	2	SEK	r	2026-12-07 00:00:00+00	{}
1	2	p-2	2026-11-01 00:00:02+00	s	d	positive	1.00	2	SEK	r	2026-12-07 00:00:00+00	{}
1	3	p-3	2026-11-01 00:00:03+00	s	d	positive	1.00	2	SEK	r	2026-12-07 00:00:00+00	{}
\.
UPDATE sequencer SET last_seq = last_seq + 3 WHERE partition_id = 1;
COMMIT;

\echo -- case 2: the same with a multi-row INSERT instead of COPY
BEGIN;
SELECT last_seq FROM sequencer WHERE partition_id = 1 FOR UPDATE;
INSERT INTO records (partition_id, seq, record_id, record_time, source_id, destination_id, record_type, amount, amount_scale, unit, reference, processed_at, summary_previous)
VALUES (1, 4, 'p-4', '2026-11-01 00:00:04+00', 's', 'd', 'positive', 1, 2, 'SEK', 'r', now(), '{}'),
       (1, 5, 'p-5', '2026-11-01 00:00:05+00', 's', 'd', 'positive', 1, 2, 'SEK', 'r', now(), '{}');
UPDATE sequencer SET last_seq = last_seq + 2 WHERE partition_id = 1;
COMMIT;

\echo -- case 3: the same with INSERT ... SELECT FROM unnest(arrays) (the array-binding shape of today)
BEGIN;
SELECT last_seq FROM sequencer WHERE partition_id = 1 FOR UPDATE;
INSERT INTO records (partition_id, seq, record_id, record_time, source_id, destination_id, record_type, amount, amount_scale, unit, reference, processed_at, summary_previous)
SELECT 1, s, 'p-' || s, now(), 's', 'd', 'positive', 1, 2, 'SEK', 'r', now(), '{}'
FROM unnest(ARRAY[6, 7]::bigint[]) AS s;
UPDATE sequencer SET last_seq = last_seq + 2 WHERE partition_id = 1;
COMMIT;

\echo -- case 4: case 1 plus the record_ids of its rows (distributed by record_id: other shards)
BEGIN;
SELECT last_seq FROM sequencer WHERE partition_id = 1 FOR UPDATE;
COPY records (partition_id, seq, record_id, record_time, source_id, destination_id, record_type, amount, amount_scale, unit, reference, processed_at, summary_previous) FROM STDIN;
1	8	p-8	2026-11-01 00:00:01+00	s	d	positive	1.00	2	SEK	r	2026-12-07 00:00:00+00	{}
1	9	p-9	2026-11-01 00:00:02+00	s	d	positive	1.00	2	SEK	r	2026-12-07 00:00:00+00	{}
\.
COPY record_ids FROM STDIN;
p-8	1
p-9	1
\.
UPDATE sequencer SET last_seq = last_seq + 2 WHERE partition_id = 1;
COMMIT;

\echo -- case 5: case 2 plus the UPDATE of a global seq row in a coordinator-local table (last statement)
BEGIN;
SELECT last_seq FROM sequencer WHERE partition_id = 1 FOR UPDATE;
INSERT INTO records (partition_id, seq, record_id, record_time, source_id, destination_id, record_type, amount, amount_scale, unit, reference, processed_at, summary_previous)
VALUES (1, 10, 'p-10', now(), 's', 'd', 'positive', 1, 2, 'SEK', 'r', now(), '{}');
UPDATE sequencer SET last_seq = last_seq + 1 WHERE partition_id = 1;
UPDATE feed_global_seq SET last_seq = last_seq + 1 WHERE id = 1 RETURNING last_seq;
COMMIT;

\echo -- case 5b: case 5 with the global seq row in a Citus local table (citus_add_local_table_to_metadata)
RESET citus.log_remote_commands;
DROP TABLE IF EXISTS feed_global_seq_cl;
CREATE TABLE feed_global_seq_cl (id INT PRIMARY KEY, last_seq BIGINT NOT NULL);
INSERT INTO feed_global_seq_cl VALUES (1, 0);
SELECT citus_add_local_table_to_metadata('feed_global_seq_cl');
SET citus.log_remote_commands = on;
BEGIN;
SELECT last_seq FROM sequencer WHERE partition_id = 1 FOR UPDATE;
INSERT INTO records (partition_id, seq, record_id, record_time, source_id, destination_id, record_type, amount, amount_scale, unit, reference, processed_at, summary_previous)
VALUES (1, 12, 'p-12', now(), 's', 'd', 'positive', 1, 2, 'SEK', 'r', now(), '{}');
UPDATE sequencer SET last_seq = last_seq + 1 WHERE partition_id = 1;
UPDATE feed_global_seq_cl SET last_seq = last_seq + 1 WHERE id = 1 RETURNING last_seq;
COMMIT;

\echo -- case 6: case 5 with a coordinator sequence for the global seq
DROP SEQUENCE IF EXISTS feed_seq;
CREATE SEQUENCE feed_seq;
BEGIN;
SELECT last_seq FROM sequencer WHERE partition_id = 1 FOR UPDATE;
INSERT INTO records (partition_id, seq, record_id, record_time, source_id, destination_id, record_type, amount, amount_scale, unit, reference, processed_at, summary_previous)
VALUES (1, 11, 'p-11', now(), 's', 'd', 'positive', 1, 2, 'SEK', 'r', now(), '{}');
UPDATE sequencer SET last_seq = last_seq + 1 WHERE partition_id = 1;
SELECT nextval('feed_seq');
COMMIT;
