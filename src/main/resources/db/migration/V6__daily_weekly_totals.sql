-- Coarser rollups beside hourly_totals (V3): the same totals per UTC day and per Monday-aligned
-- UTC week, kept in the same write transaction (under the sequencer lock). A totals-only query
-- reads records for the partial hours at the window's edges, hourly rows for the partial days,
-- daily rows for the partial weeks and weekly rows for the rest (AggregationQuery.rollupTotals):
-- a 30-day window reads a few dozen rows per group instead of up to 720.
--
-- Every rollup's primary key starts with the bucket's start: the query reads one time range per
-- level (a range scan of the key), and the write path's upserts find their row by the same key.
-- No other index: each index more is a write more per upserted row.
CREATE TABLE daily_totals (
    destination_id VARCHAR(512) ${collate} NOT NULL,
    unit           VARCHAR(128) ${collate} NOT NULL,
    record_type    VARCHAR(8) NOT NULL,
    day_start      TIMESTAMP WITH TIME ZONE NOT NULL,
    record_count   BIGINT NOT NULL,
    amount_sum     NUMERIC NOT NULL,
    max_scale      SMALLINT NOT NULL,
    CONSTRAINT daily_totals_pk PRIMARY KEY (day_start, destination_id, unit, record_type)
);

CREATE TABLE weekly_totals (
    destination_id VARCHAR(512) ${collate} NOT NULL,
    unit           VARCHAR(128) ${collate} NOT NULL,
    record_type    VARCHAR(8) NOT NULL,
    week_start     TIMESTAMP WITH TIME ZONE NOT NULL,
    record_count   BIGINT NOT NULL,
    amount_sum     NUMERIC NOT NULL,
    max_scale      SMALLINT NOT NULL,
    CONSTRAINT weekly_totals_pk PRIMARY KEY (week_start, destination_id, unit, record_type)
);

-- hourly_totals the same way: its key now starts with hour_start, which makes the separate index
-- on hour_start redundant (one index fewer to maintain per hourly upsert).
DROP INDEX hourly_totals_hour_idx;
ALTER TABLE hourly_totals DROP CONSTRAINT hourly_totals_pk;
ALTER TABLE hourly_totals ADD CONSTRAINT hourly_totals_pk PRIMARY KEY (hour_start, destination_id, unit, record_type);

-- Records stored before this migration.
INSERT INTO daily_totals (destination_id, unit, record_type, day_start, record_count, amount_sum, max_scale)
SELECT destination_id, unit, record_type, ${utc_day_of_record_time}, COUNT(*), SUM(amount), MAX(amount_scale)
FROM records
GROUP BY destination_id, unit, record_type, ${utc_day_of_record_time};

INSERT INTO weekly_totals (destination_id, unit, record_type, week_start, record_count, amount_sum, max_scale)
SELECT destination_id, unit, record_type, ${utc_week_of_record_time}, COUNT(*), SUM(amount), MAX(amount_scale)
FROM records
GROUP BY destination_id, unit, record_type, ${utc_week_of_record_time};
