package dev.tally.outbox;

import dev.tally.store.OutboxTable;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.springframework.stereotype.Component;

/**
 * The outbox as the feeds and the relay see it: messages of a {@link Feed}, by seq. The table and
 * its SQL are {@link OutboxTable}'s (in {@code store/}); what stays here is the {@link Feed} type
 * and turning a stored row into its message: an alert as stored, a notification rendered from its
 * record and its previous summary ({@link Messages#renderNotification}).
 */
@Component
public class OutboxStore {

    private final OutboxTable table;

    public OutboxStore(OutboxTable table) {
        this.table = table;
    }

    /**
     * At most {@code limit} messages of {@code feed} with seq greater than {@code afterSeq}, in seq
     * order, each with its whole JSON.
     */
    public List<OutboxMessage> page(Feed feed, long afterSeq, int limit) {
        return table.page(
                feed.column(),
                afterSeq,
                limit,
                row -> new OutboxMessage(
                        feed,
                        row.seq(),
                        row.messageId(),
                        row.destinationId(),
                        row.payload() != null
                                ? row.payload()
                                : Messages.renderNotification(
                                        row.seq(), row.createdAt(), row.record(), row.summaryPrevious()),
                        row.createdAt(),
                        row.traceparent()));
    }

    /** The lowest seq of {@code feed} still in the outbox, if any. */
    public OptionalLong oldestSeq(Feed feed) {
        return table.oldestSeq(feed.column());
    }

    /** When the first message of {@code feed} after {@code seq} was written, if there is one. */
    public Optional<Instant> firstWrittenAfter(Feed feed, long seq) {
        return table.firstWrittenAfter(feed.column(), seq);
    }

    /** The message id at {@code seq}, if that row is (still) in the outbox. */
    public Optional<String> messageIdAt(Feed feed, long seq) {
        return table.messageIdAt(feed.column(), seq);
    }

    /**
     * Deletes up to {@code maxRows} of the oldest alerts that were written before {@code cutoff}
     * and have a seq of at most {@code maxSeq}; returns how many went. Notifications are their
     * records and stay as long as they do.
     */
    public int pruneAlerts(Instant cutoff, long maxSeq, int maxRows) {
        return table.pruneAlerts(cutoff, maxSeq, maxRows);
    }
}
