-- A notification's JSON repeats its record (already in records) and adds the summary of the
-- records before it. From this version a notification row stores only that summary
-- (summary_previous, the JSON of "summary.previous") and leaves payload NULL: the feeds and the
-- relay render the message from the record and this column when they read it. The profile showed
-- the ~900-byte payload costing as much to write as the record itself (docs/performance.md).
-- Rows written before keep their payload, and alerts (a few per cent of records) keep theirs.
ALTER TABLE outbox ALTER COLUMN payload DROP NOT NULL;
ALTER TABLE outbox ADD COLUMN summary_previous VARCHAR(1000000);
ALTER TABLE outbox ADD CONSTRAINT outbox_body_ck
    CHECK (payload IS NOT NULL OR (feed = 'notifications' AND summary_previous IS NOT NULL));

-- PostgreSQL: leave a third of each summaries page free, so that the per-record UPDATE of a
-- summary (which never changes its key) can stay on its page as a heap-only tuple and skip the
-- primary-key index write. Nothing on H2.
${summaries_fillfactor}
