package dev.tally.outbox;

import dev.tally.store.Dialect;
import dev.tally.store.LeaderLock;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Which instance publishes a feed: a PostgreSQL advisory lock per feed ({@link LeaderLock}), so
 * that instances take turns instead of fencing each other back and forth. Safety does not depend
 * on it (the Kafka transactional.id fences a zombie); the {@code tally.kafka.relay.leader} gauge
 * says who holds it.
 */
final class FeedLeadership {

    private final DataSource dataSource;
    private final Dialect dialect;
    private final Feed feed;
    private final RelayMonitor monitor;

    FeedLeadership(DataSource dataSource, Dialect dialect, Feed feed, RelayMonitor monitor) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.feed = feed;
        this.monitor = monitor;
    }

    /** Tries once, without waiting; the lock, if taken, makes this instance the feed's publisher until {@link #end}. */
    Optional<LeaderLock.Held> tryTake() throws SQLException {
        Optional<LeaderLock.Held> lock = LeaderLock.tryAcquire(dataSource, dialect, feed.ordinal() + 1);
        if (lock.isPresent()) {
            monitor.leader(feed, true);
        }
        return lock;
    }

    /** Releases the lock: another instance may publish the feed now. */
    void end(LeaderLock.Held held) {
        try {
            held.close();
        } finally {
            monitor.leader(feed, false);
        }
    }
}
