/**
 * The transactional outbox: notification and alert messages written in the records' transaction,
 * served by the cursor-paged feeds and (when Kafka is configured) published by the relay.
 */
package dev.tally.outbox;
