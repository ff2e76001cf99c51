package dev.tally.store;

import dev.tally.record.TallyRecord;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The feeds' SQL, by seq: because seqs are assigned under the sequencer lock, in commit order and
 * without gaps, "everything after seq N" is a stable cursor. A message exists if and only if its
 * record was committed:
 *
 * <ul>
 *   <li>a notification IS its record's row ({@code records.seq}, {@code summary_previous},
 *       {@code traceparent}, {@code processed_at}; migration V10), read through {@code records_seq_idx};
 *   <li>an alert is an {@code outbox} row with its whole payload, inserted in the write transaction
 *       (by {@link #insert} on H2, as a part of {@link PostgresBatchWriter}'s one statement on
 *       PostgreSQL).
 * </ul>
 *
 * <p>Turning a row into a message is the outbox package's ({@code outbox.OutboxStore},
 * {@code outbox.Messages}). Feeds are named by their {@code outbox.feed} value
 * ({@code outbox.Feed#column}): {@value OutboxRow#NOTIFICATIONS} selects the records.
 */
@Repository
public class OutboxTable {

    private static final String INSERT = """
            INSERT INTO outbox (feed, seq, message_id, destination_id, payload, created_at, traceparent)
            VALUES (?, ?, ?, ?, ?, ?, ?)""";

    private static final String ALERTS_PAGE = """
            SELECT seq, message_id, destination_id, payload, created_at, traceparent
            FROM outbox WHERE feed = ? AND seq > ? ORDER BY seq LIMIT ?""";

    /**
     * A record stored before V10 whose notification had been pruned has no summary; those are all
     * below the first notification, so the filter only ever skips a prefix.
     */
    private static final String NOTIFICATIONS_PAGE = "SELECT seq, summary_previous, processed_at, traceparent, "
            + RecordStore.COLUMNS
            + " FROM records WHERE seq > ? AND summary_previous IS NOT NULL ORDER BY seq LIMIT ?";

    private static final String ALERTS_OLDEST_SEQ = """
            SELECT MIN(seq) FROM outbox WHERE feed = ?""";

    private static final String NOTIFICATIONS_OLDEST_SEQ = """
            SELECT MIN(seq) FROM records WHERE summary_previous IS NOT NULL""";

    /** The first row after a seq, by the primary key: one index probe. */
    private static final String ALERTS_WRITTEN_AFTER = """
            SELECT created_at FROM outbox WHERE feed = ? AND seq > ? ORDER BY seq LIMIT 1""";

    private static final String NOTIFICATIONS_WRITTEN_AFTER = """
            SELECT processed_at FROM records WHERE seq > ? AND summary_previous IS NOT NULL ORDER BY seq LIMIT 1""";

    private static final String ALERTS_MESSAGE_ID_AT = """
            SELECT message_id FROM outbox WHERE feed = ? AND seq = ?""";

    private static final String NOTIFICATIONS_MESSAGE_ID_AT = """
            SELECT record_id FROM records WHERE seq = ? AND summary_previous IS NOT NULL""";

    /** One small range of the oldest rows: a short transaction on the primary key, no long locks. */
    private static final String PRUNE_RANGE = """
            DELETE FROM outbox
            WHERE feed = ? AND seq >= ? AND seq < ? AND seq <= ? AND created_at < ?""";

    private final JdbcTemplate jdbc;

    public OutboxTable(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * One stored row: an alert with its {@code payload}; a notification with its
     * {@code summaryPrevious} and its {@code record} (both null for an alert; payload null for a
     * notification).
     */
    public record StoredRow(
            long seq,
            String messageId,
            String destinationId,
            @Nullable String payload,
            @Nullable String summaryPrevious,
            Instant createdAt,
            @Nullable TallyRecord record,
            @Nullable String traceparent) {}

    void insert(List<OutboxRow> rows, Instant createdAt) {
        if (rows.isEmpty()) {
            return;
        }
        jdbc.batchUpdate(INSERT, rows, rows.size(), (PreparedStatement ps, OutboxRow m) -> {
            ps.setString(1, m.feed());
            ps.setLong(2, m.seq());
            ps.setString(3, m.messageId());
            ps.setString(4, m.destinationId());
            ps.setString(5, m.payload());
            Jdbc.setInstant(ps, 6, createdAt);
            ps.setString(7, m.traceparent());
        });
    }

    /**
     * At most {@code limit} rows of {@code feed} with seq greater than {@code afterSeq}, in seq
     * order, each turned into a {@code T} by {@code toMessage}.
     */
    public <T> List<T> page(String feed, long afterSeq, int limit, Function<StoredRow, T> toMessage) {
        if (OutboxRow.NOTIFICATIONS.equals(feed)) {
            return jdbc.query(
                    NOTIFICATIONS_PAGE,
                    (rs, n) -> {
                        TallyRecord record = RecordStore.map(rs);
                        return toMessage.apply(new StoredRow(
                                rs.getLong("seq"),
                                record.recordId(),
                                record.destinationId(),
                                null,
                                rs.getString("summary_previous"),
                                Jdbc.getInstant(rs, "processed_at"),
                                record,
                                rs.getString("traceparent")));
                    },
                    afterSeq,
                    limit);
        }
        return jdbc.query(
                ALERTS_PAGE,
                (rs, n) -> toMessage.apply(new StoredRow(
                        rs.getLong("seq"),
                        rs.getString("message_id"),
                        rs.getString("destination_id"),
                        rs.getString("payload"),
                        null,
                        Jdbc.getInstant(rs, "created_at"),
                        null,
                        rs.getString("traceparent"))),
                feed,
                afterSeq,
                limit);
    }

    /** The lowest seq of {@code feed} still in the outbox, if any. */
    public OptionalLong oldestSeq(String feed) {
        Long oldest = OutboxRow.NOTIFICATIONS.equals(feed)
                ? jdbc.queryForObject(NOTIFICATIONS_OLDEST_SEQ, Long.class)
                : jdbc.queryForObject(ALERTS_OLDEST_SEQ, Long.class, feed);
        return oldest == null ? OptionalLong.empty() : OptionalLong.of(oldest);
    }

    /** When the first message of {@code feed} after {@code seq} was written, if there is one. */
    public Optional<Instant> firstWrittenAfter(String feed, long seq) {
        List<Instant> first = OutboxRow.NOTIFICATIONS.equals(feed)
                ? jdbc.query(NOTIFICATIONS_WRITTEN_AFTER, (rs, i) -> Jdbc.getInstant(rs, "processed_at"), seq)
                : jdbc.query(ALERTS_WRITTEN_AFTER, (rs, i) -> Jdbc.getInstant(rs, "created_at"), feed, seq);
        return first.stream().findFirst();
    }

    /** The message id at {@code seq}, if that row is (still) in the outbox. */
    public Optional<String> messageIdAt(String feed, long seq) {
        List<String> ids = OutboxRow.NOTIFICATIONS.equals(feed)
                ? jdbc.queryForList(NOTIFICATIONS_MESSAGE_ID_AT, String.class, seq)
                : jdbc.queryForList(ALERTS_MESSAGE_ID_AT, String.class, feed, seq);
        return ids.stream().findFirst();
    }

    /**
     * Deletes up to {@code maxRows} of the oldest alerts that were written before {@code cutoff} and
     * have a seq of at most {@code maxSeq}; returns how many went. Notifications are their records,
     * which are never deleted.
     */
    public int pruneAlerts(Instant cutoff, long maxSeq, int maxRows) {
        String feed = OutboxRow.ALERTS;
        Long oldest = jdbc.queryForObject(ALERTS_OLDEST_SEQ, Long.class, feed);
        if (oldest == null) {
            return 0;
        }
        return jdbc.update(PRUNE_RANGE, ps -> {
            ps.setString(1, feed);
            ps.setLong(2, oldest);
            ps.setLong(3, oldest + maxRows);
            ps.setLong(4, maxSeq);
            Jdbc.setInstant(ps, 5, cutoff);
        });
    }
}
