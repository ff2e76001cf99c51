-- A notification is its record: from this version the write transaction stores the summary of the
-- records before it (the JSON of "summary.previous") and the trace context it came in with on the
-- record's own row, and writes no outbox row for it. The notifications feed and the relay read
-- records by seq (records_seq_idx, V7) and render the message from the row. One heap tuple and one
-- index entry fewer per record, and no deletes of pruned notifications (issue 11, "a lean write").
--
-- Notifications are thus kept as long as their records: tally.outbox.retention applies to alerts.
-- A record stored before this version whose notification had already been pruned keeps NULL here
-- and is not in the feed.
ALTER TABLE records ADD COLUMN summary_previous VARCHAR(1000000);
ALTER TABLE records ADD COLUMN traceparent VARCHAR(55);

-- Notification rows written before V4 carry a whole payload instead of summary_previous; they are
-- older than any sensible retention. If one is still there, this constraint fails the migration
-- (by its name) rather than drop the message from the feed: prune it, or run V9 until the
-- retention has passed, then upgrade.
ALTER TABLE outbox ADD CONSTRAINT outbox_v10_no_payload_notifications_ck
    CHECK (feed <> 'notifications' OR payload IS NULL);

UPDATE records SET
    summary_previous = (SELECT o.summary_previous FROM outbox o
                        WHERE o.feed = 'notifications' AND o.message_id = records.record_id),
    traceparent = (SELECT o.traceparent FROM outbox o
                   WHERE o.feed = 'notifications' AND o.message_id = records.record_id)
WHERE record_id IN (SELECT message_id FROM outbox WHERE feed = 'notifications');

DELETE FROM outbox WHERE feed = 'notifications';
ALTER TABLE outbox DROP CONSTRAINT outbox_v10_no_payload_notifications_ck;
ALTER TABLE outbox DROP CONSTRAINT outbox_body_ck;
ALTER TABLE outbox DROP CONSTRAINT outbox_feed_ck;
ALTER TABLE outbox ADD CONSTRAINT outbox_alerts_only_ck CHECK (feed = 'alerts' AND payload IS NOT NULL);
