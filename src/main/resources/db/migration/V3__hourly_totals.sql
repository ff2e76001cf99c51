-- Per (destination_id, unit, record_type) totals per UTC hour of record_time, kept in the write
-- transaction (under the sequencer lock) beside the records they sum. GET /v1/aggregations with
-- includeRecords=false reads whole hours from here and only the partial hours at the window's
-- edges from records: a 30-day window costs at most 720 rows per group, whatever the record count.
-- amount_sum is unconstrained NUMERIC: the sum of NUMERIC(56,18) values may need more digits.
CREATE TABLE hourly_totals (
    destination_id VARCHAR(512) ${collate} NOT NULL,
    unit           VARCHAR(128) ${collate} NOT NULL,
    record_type    VARCHAR(8) NOT NULL,
    hour_start     TIMESTAMP WITH TIME ZONE NOT NULL,
    record_count   BIGINT NOT NULL,
    amount_sum     NUMERIC NOT NULL,
    max_scale      SMALLINT NOT NULL,
    CONSTRAINT hourly_totals_pk PRIMARY KEY (destination_id, unit, record_type, hour_start)
);
-- A time window across all destinations scans this index, not the whole table.
CREATE INDEX hourly_totals_hour_idx ON hourly_totals (hour_start);

-- Records stored before this migration.
INSERT INTO hourly_totals (destination_id, unit, record_type, hour_start, record_count, amount_sum, max_scale)
SELECT destination_id, unit, record_type, ${utc_hour_of_record_time}, COUNT(*), SUM(amount), MAX(amount_scale)
FROM records
GROUP BY destination_id, unit, record_type, ${utc_hour_of_record_time};
