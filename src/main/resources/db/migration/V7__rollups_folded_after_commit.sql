-- The totals rollups (V3, V6) are no longer written by the write transaction: a folder adds the
-- committed records to them afterwards, in seq order, and records how far it got here. A record
-- with seq <= folded_seq is in every rollup level; one above it in none, and the totals query adds
-- those from the records themselves (docs/architecture.md, "Totals rollups folded after commit").
--
-- Until now every record was added in its own transaction, so the rollups hold exactly the records
-- up to the sequencer's position. Instances of the previous version must be stopped before this
-- migration runs: they would keep adding records to the rollups that the folder adds again.
CREATE TABLE rollup_watermark (
    id         INTEGER NOT NULL,
    folded_seq BIGINT NOT NULL,
    CONSTRAINT rollup_watermark_pk PRIMARY KEY (id),
    CONSTRAINT rollup_watermark_one_row_ck CHECK (id = 1)
);
INSERT INTO rollup_watermark (id, folded_seq) SELECT 1, last_notification_seq FROM sequencer WHERE id = 1;

-- The folder reads the records after the watermark, and the totals query the records not yet
-- folded, by seq. Seqs are handed out in commit order under the sequencer lock, one per accepted
-- record, so the index also checks that no seq is given twice.
CREATE UNIQUE INDEX records_seq_idx ON records (seq);
