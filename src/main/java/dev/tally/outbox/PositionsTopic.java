package dev.tally.outbox;

import dev.tally.config.TallyKafkaProperties;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The compacted relay-positions topic: the position of record of each (deployment, topic) pair,
 * one partition per feed, the key {@code <deployment>/<topic>}, the value
 * {@code {"seq":…,"messageId":…}}. Written only inside the feed's Kafka transactions.
 */
final class PositionsTopic {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RelayClients clients;
    private final KafkaTopics topics;
    private final TallyKafkaProperties kafka;

    PositionsTopic(RelayClients clients, KafkaTopics topics, TallyKafkaProperties kafka) {
        this.clients = clients;
        this.topics = topics;
        this.kafka = kafka;
    }

    /** The record that moves the pair's position to {@code position}, to send inside a transaction. */
    ProducerRecord<String, String> record(Feed feed, String key, RelayStart.Position position) {
        return new ProducerRecord<>(
                kafka.topics().relayPositions(),
                feed.ordinal(),
                key,
                JSON.createObjectNode()
                        .put("seq", position.seq())
                        .put("messageId", position.messageId())
                        .toString());
    }

    /**
     * The pair's last position on the positions topic, read read_committed. The read goes up to
     * the high watermark taken now: this publisher's own transactions were all decided by
     * initTransactions(), and other deployments' transactions on the partition that are still
     * open end within their timeout; stopping at the last stable offset instead could miss
     * this pair's newest position behind another producer's open transaction. The last record
     * of the key wins (a resume moves it back).
     */
    Optional<RelayStart.Position> read(Feed feed, String key) {
        TopicPartition tp = new TopicPartition(kafka.topics().relayPositions(), feed.ordinal());
        Duration timeout = kafka.relay().requestTimeout();
        long deadline = System.nanoTime() + timeout.multipliedBy(4).toNanos();
        long end = topics.highWatermark(tp);
        RelayStart.Position found = null;
        try (KafkaConsumer<String, String> consumer = clients.positionConsumer();
                KafkaClientMetrics metrics = clients.meter(consumer)) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            while (consumer.position(tp, timeout) < end) {
                if (System.nanoTime() > deadline) {
                    throw new KafkaException("Reading the relay position of " + key + " timed out at offset "
                            + consumer.position(tp, timeout) + " of " + end + " (another producer's transaction"
                            + " on " + tp + " still open?)");
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key())) {
                        found = r.value() == null ? null : parse(feed, r.value());
                    }
                }
            }
        }
        return Optional.ofNullable(found);
    }

    private RelayStart.Position parse(Feed feed, String value) {
        try {
            JsonNode n = JSON.readTree(value);
            JsonNode id = n.get("messageId");
            return new RelayStart.Position(n.get("seq").asLong(), id == null || id.isNull() ? null : id.asString());
        } catch (JacksonException | NullPointerException e) {
            throw new IllegalStateException(
                    "Relay " + feed.column() + ": unreadable position " + value + " on "
                            + kafka.topics().relayPositions(),
                    e);
        }
    }
}
