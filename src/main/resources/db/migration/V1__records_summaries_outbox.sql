-- Tally schema, one history for PostgreSQL and H2 (in PostgreSQL compatibility mode).
-- ${collate} is set per database in store.Dialect: COLLATE "C" on PostgreSQL so that text sorts
-- by code point (the order the API promises, and the same order H2 uses), empty on H2.

-- Every processed record, exactly once per record_id. seq is the processing (commit) order and
-- equals the seq of the record's notification.
CREATE TABLE records (
    record_id      VARCHAR(512) ${collate} NOT NULL,
    seq            BIGINT NOT NULL,
    record_time    TIMESTAMP WITH TIME ZONE NOT NULL,
    source_id      VARCHAR(512) ${collate} NOT NULL,
    destination_id VARCHAR(512) ${collate} NOT NULL,
    record_type    VARCHAR(8) NOT NULL,
    amount         NUMERIC(56, 18) NOT NULL,
    -- the scale the value arrived with: 10.50 is returned as 10.50, not 10.500000000000000000
    amount_scale   SMALLINT NOT NULL,
    unit           VARCHAR(128) ${collate} NOT NULL,
    reference      VARCHAR(1024) ${collate} NOT NULL,
    processed_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT records_pk PRIMARY KEY (record_id),
    CONSTRAINT records_type_ck CHECK (record_type IN ('positive', 'negative')),
    CONSTRAINT records_amount_ck CHECK (amount >= 0)
);
-- Aggregations read by time range, or by destination then time; both end in the API's order.
CREATE INDEX records_time_idx ON records (record_time);
CREATE INDEX records_destination_time_idx ON records (destination_id, record_time, record_id);

-- The running summary per (destination_id, reference): folded in the same transaction as the
-- record, under the sequencer lock, so it always reflects exactly the records committed before.
-- totals is a JSON array of {"unit","positive","negative"} with exact decimal strings.
CREATE TABLE summaries (
    destination_id VARCHAR(512) ${collate} NOT NULL,
    reference      VARCHAR(1024) ${collate} NOT NULL,
    record_count   BIGINT NOT NULL,
    first_time     TIMESTAMP WITH TIME ZONE NOT NULL,
    last_time      TIMESTAMP WITH TIME ZONE NOT NULL,
    totals         VARCHAR(1000000) NOT NULL,
    CONSTRAINT summaries_pk PRIMARY KEY (destination_id, reference)
);

-- The transactional outbox: one row per message, seq gapless per feed and in commit order.
CREATE TABLE outbox (
    feed           VARCHAR(16) NOT NULL,
    seq            BIGINT NOT NULL,
    message_id     VARCHAR(512) NOT NULL,
    destination_id VARCHAR(512) NOT NULL,
    payload        VARCHAR(1000000) NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT outbox_pk PRIMARY KEY (feed, seq),
    CONSTRAINT outbox_feed_ck CHECK (feed IN ('notifications', 'alerts'))
);

-- One row. Locked FOR UPDATE at the start of every write transaction: it serialises writers
-- across all instances, which is what makes seq equal commit order and dedup/summaries race-free.
CREATE TABLE sequencer (
    id                    INTEGER NOT NULL,
    last_notification_seq BIGINT NOT NULL,
    last_alert_seq        BIGINT NOT NULL,
    CONSTRAINT sequencer_pk PRIMARY KEY (id),
    CONSTRAINT sequencer_one_row_ck CHECK (id = 1)
);
INSERT INTO sequencer (id, last_notification_seq, last_alert_seq) VALUES (1, 0, 0);
