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
import org.springframework.jdbc.core.RowMapper;
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

    /**
     * One feed's reads, all with the same parameters ({@code seq}, then {@code limit} for a page),
     * so that each method below is one look-up of the feed's SQL and one query.
     *
     * @param page         rows after a seq, in seq order, at most a limit
     * @param oldestSeq    the lowest seq still readable
     * @param writtenAfter when the first row after a seq was written (as {@code created_at}), by the seq's index
     * @param messageIdAt  the message id at a seq
     * @param row          a page's row as a {@link StoredRow}
     */
    private record FeedSql(
            String page, String oldestSeq, String writtenAfter, String messageIdAt, RowMapper<StoredRow> row) {}

    /**
     * Notifications are records (V10). A record stored before V10 whose notification had been pruned
     * has no summary; those are all below the first notification, so the filter only skips a prefix.
     */
    private static final FeedSql NOTIFICATIONS = new FeedSql(
            "SELECT seq, summary_previous, processed_at, traceparent, " + RecordStore.COLUMNS
                    + " FROM records WHERE seq > ? AND summary_previous IS NOT NULL ORDER BY seq LIMIT ?",
            "SELECT MIN(seq) FROM records WHERE summary_previous IS NOT NULL",
            "SELECT processed_at AS created_at FROM records WHERE seq > ? AND summary_previous IS NOT NULL"
                    + " ORDER BY seq LIMIT 1",
            "SELECT record_id FROM records WHERE seq = ? AND summary_previous IS NOT NULL",
            (rs, n) -> {
                TallyRecord record = RecordStore.map(rs);
                return new StoredRow(
                        rs.getLong("seq"),
                        record.recordId(),
                        record.destinationId(),
                        null,
                        rs.getString("summary_previous"),
                        Jdbc.getInstant(rs, "processed_at"),
                        record,
                        rs.getString("traceparent"));
            });

    /**
     * Alerts are the outbox's only rows ({@code outbox_alerts_only_ck}, V10); the feed stays in the
     * conditions so that they use the primary key {@code (feed, seq)}.
     */
    private static final FeedSql ALERTS = new FeedSql(
            "SELECT seq, message_id, destination_id, payload, created_at, traceparent"
                    + " FROM outbox WHERE feed = 'alerts' AND seq > ? ORDER BY seq LIMIT ?",
            "SELECT MIN(seq) FROM outbox WHERE feed = 'alerts'",
            "SELECT created_at FROM outbox WHERE feed = 'alerts' AND seq > ? ORDER BY seq LIMIT 1",
            "SELECT message_id FROM outbox WHERE feed = 'alerts' AND seq = ?",
            (rs, n) -> new StoredRow(
                    rs.getLong("seq"),
                    rs.getString("message_id"),
                    rs.getString("destination_id"),
                    rs.getString("payload"),
                    null,
                    Jdbc.getInstant(rs, "created_at"),
                    null,
                    rs.getString("traceparent")));

    /** One small range of the oldest rows: a short transaction on the primary key, no long locks. */
    private static final String PRUNE_RANGE = """
            DELETE FROM outbox
            WHERE feed = 'alerts' AND seq >= ? AND seq < ? AND seq <= ? AND created_at < ?""";

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
        FeedSql sql = sql(feed);
        return jdbc.query(sql.page(), (rs, n) -> toMessage.apply(sql.row().mapRow(rs, n)), afterSeq, limit);
    }

    /** The lowest seq of {@code feed} still readable, if any. */
    public OptionalLong oldestSeq(String feed) {
        Long oldest = jdbc.queryForObject(sql(feed).oldestSeq(), Long.class);
        return oldest == null ? OptionalLong.empty() : OptionalLong.of(oldest);
    }

    /** When the first message of {@code feed} after {@code seq} was written, if there is one. */
    public Optional<Instant> firstWrittenAfter(String feed, long seq) {
        return jdbc.query(sql(feed).writtenAfter(), (rs, i) -> Jdbc.getInstant(rs, "created_at"), seq).stream()
                .findFirst();
    }

    /** The message id at {@code seq}, if that message is (still) stored. */
    public Optional<String> messageIdAt(String feed, long seq) {
        return jdbc.queryForList(sql(feed).messageIdAt(), String.class, seq).stream()
                .findFirst();
    }

    private static FeedSql sql(String feed) {
        return switch (feed) {
            case OutboxRow.NOTIFICATIONS -> NOTIFICATIONS;
            case OutboxRow.ALERTS -> ALERTS;
            default -> throw new IllegalArgumentException("no feed " + feed);
        };
    }

    /**
     * Deletes up to {@code maxRows} of the oldest alerts that were written before {@code cutoff} and
     * have a seq of at most {@code maxSeq}; returns how many went. Notifications are their records,
     * which are never deleted.
     */
    public int pruneAlerts(Instant cutoff, long maxSeq, int maxRows) {
        Long oldest = jdbc.queryForObject(ALERTS.oldestSeq(), Long.class);
        if (oldest == null) {
            return 0;
        }
        return jdbc.update(PRUNE_RANGE, ps -> {
            ps.setLong(1, oldest);
            ps.setLong(2, oldest + maxRows);
            ps.setLong(3, maxSeq);
            Jdbc.setInstant(ps, 4, cutoff);
        });
    }
}
