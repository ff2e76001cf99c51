-- A scratch schema shaped like the planned partitioned write (issue 11), NOT Tally's migrations:
-- P fixed partitions, each with its own sequencer row; records by COPY with the notification's
-- previous summary as a column; no summaries table; alerts in a small table; a record_ids table
-- for global recordId uniqueness.
--
-- psql -v citus=1 distributes the tables (Citus coordinator); -v citus=0 leaves them plain (the
-- PostgreSQL 15 baseline). Every table is dropped and re-created.
\set ON_ERROR_STOP on
DROP TABLE IF EXISTS records, sequencer, alerts, record_ids, feed_position CASCADE;

-- One row per partition: locked FOR UPDATE by the partition's writer (it owns the partition while
-- it holds the lock), gapless seqs per partition.
CREATE TABLE sequencer (
    partition_id   SMALLINT NOT NULL,
    last_seq       BIGINT NOT NULL,
    last_alert_seq BIGINT NOT NULL,
    CONSTRAINT sequencer_pk PRIMARY KEY (partition_id)
);

-- Citus: every unique index must contain the distribution column, so the key is (partition_id,
-- seq), not record_id alone.
CREATE TABLE records (
    partition_id     SMALLINT NOT NULL,
    seq              BIGINT NOT NULL,
    record_id        VARCHAR(512) COLLATE "C" NOT NULL,
    record_time      TIMESTAMP WITH TIME ZONE NOT NULL,
    source_id        VARCHAR(512) COLLATE "C" NOT NULL,
    destination_id   VARCHAR(512) COLLATE "C" NOT NULL,
    record_type      VARCHAR(8) NOT NULL,
    amount           NUMERIC(56, 18) NOT NULL,
    amount_scale     SMALLINT NOT NULL,
    unit             VARCHAR(128) COLLATE "C" NOT NULL,
    reference        VARCHAR(1024) COLLATE "C" NOT NULL,
    processed_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    summary_previous VARCHAR(1000000) NOT NULL,
    traceparent      VARCHAR(55),
    CONSTRAINT records_pk PRIMARY KEY (partition_id, seq)
);
-- The reads the issue keeps: time window, destination order (covering), a pair's latest record.
CREATE INDEX records_time_idx ON records (record_time);
CREATE INDEX records_destination_time_idx ON records (destination_id, record_time, record_id)
    INCLUDE (source_id, record_type, amount, amount_scale, unit, reference);
CREATE INDEX records_pair_seq_idx ON records (destination_id, reference, seq);

CREATE TABLE alerts (
    partition_id SMALLINT NOT NULL,
    alert_seq    BIGINT NOT NULL,
    record_seq   BIGINT NOT NULL,
    payload      VARCHAR(1000000) NOT NULL,
    CONSTRAINT alerts_pk PRIMARY KEY (partition_id, alert_seq)
);

-- Global recordId uniqueness: distributed by record_id, so its shard is not the partition's.
CREATE TABLE record_ids (
    record_id    VARCHAR(512) COLLATE "C" NOT NULL,
    partition_id SMALLINT NOT NULL,
    CONSTRAINT record_ids_pk PRIMARY KEY (record_id)
);

-- One row: a global feed position taken per batch as the transaction's last statement (the
-- alternative to cursors over per-partition positions). On Citus a Citus local table on the
-- coordinator: Citus then sees the write and commits the batch with 2PC. A plain table there would
-- commit the worker first (1PC, in PRE_COMMIT) and the coordinator after: not atomic.
CREATE TABLE feed_position (
    id       INTEGER NOT NULL,
    last_seq BIGINT NOT NULL,
    CONSTRAINT feed_position_pk PRIMARY KEY (id)
);
INSERT INTO feed_position (id, last_seq) VALUES (1, 0);

\if :citus
SELECT citus_add_local_table_to_metadata('feed_position');
SELECT create_distributed_table('sequencer', 'partition_id');
SELECT create_distributed_table('records', 'partition_id', colocate_with => 'sequencer');
SELECT create_distributed_table('alerts', 'partition_id', colocate_with => 'sequencer');
SELECT create_distributed_table('record_ids', 'record_id');
\endif

INSERT INTO sequencer (partition_id, last_seq, last_alert_seq)
SELECT p, 0, 0 FROM generate_series(0, 15) AS p;
