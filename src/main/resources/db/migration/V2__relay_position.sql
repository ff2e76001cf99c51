-- The outbox relay's published position per feed, as last confirmed by Kafka. The truth is the
-- relay-positions topic (written in the same Kafka transaction as the messages); this row is a
-- mirror written after each commit, so it is never ahead of the truth. The pruner deletes only
-- rows at or below it, and the relay lag metric is computed from it.
CREATE TABLE relay_position (
    feed          VARCHAR(16) NOT NULL,
    published_seq BIGINT NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT relay_position_pk PRIMARY KEY (feed),
    CONSTRAINT relay_position_feed_ck CHECK (feed IN ('notifications', 'alerts'))
);
INSERT INTO relay_position (feed, published_seq, updated_at) VALUES ('notifications', 0, CURRENT_TIMESTAMP);
INSERT INTO relay_position (feed, published_seq, updated_at) VALUES ('alerts', 0, CURRENT_TIMESTAMP);

