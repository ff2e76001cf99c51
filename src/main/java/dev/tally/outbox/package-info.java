/**
 * The transactional outbox: notification and alert messages written in the records' transaction
 * (their JSON built by {@link dev.tally.outbox.Messages}, their rows inserted by
 * {@code store.BatchWriter}), served by the cursor-paged feeds and, when Kafka is configured,
 * published exactly once (for read_committed consumers) by the {@link dev.tally.outbox.OutboxRelay};
 * old published messages are deleted by the {@link dev.tally.outbox.OutboxPruner}. See docs/kafka.md.
 */
@NullMarked
package dev.tally.outbox;

import org.jspecify.annotations.NullMarked;
