package dev.tally.outbox;

import dev.tally.config.TallyKafkaProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates Tally's topics if they are missing, from the relay's thread (never blocking start-up
 * while the broker is down). The relay-positions topic is always ensured, because the relay
 * cannot work without it: compacted, one partition per feed (partition = {@link Feed#ordinal()}).
 * Deployments sharing the cluster share these partitions (each under its own keys and
 * transactional.ids), so a read of a position waits until the transactions of the others that
 * were open when it began are decided (see {@link #highWatermark}).
 */
final class KafkaTopics {

    static final int POSITION_PARTITIONS = Feed.values().length;

    private final Map<String, Object> adminProperties;
    private final TallyKafkaProperties kafka;
    private final Duration timeout;
    private volatile boolean ready;

    KafkaTopics(Map<String, Object> adminProperties, TallyKafkaProperties kafka) {
        this.adminProperties = Map.copyOf(adminProperties);
        this.kafka = kafka;
        this.timeout = kafka.relay().requestTimeout();
    }

    /**
     * The partition's high watermark: the end of everything written, decided or not (a
     * read_committed consumer's end offset is the last stable offset instead, which stops before
     * the first open transaction of any producer).
     */
    long highWatermark(TopicPartition tp) {
        try (Admin admin = Admin.create(adminProperties())) {
            return admin.listOffsets(
                            Map.of(tp, OffsetSpec.latest()), new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED))
                    .partitionResult(tp)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .offset();
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("Cannot read the end offset of " + tp + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while reading the end offset of " + tp, e);
        }
    }

    private Map<String, Object> adminProperties() {
        Map<String, Object> props = new HashMap<>(adminProperties);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        return props;
    }

    synchronized void ensure() {
        if (ready) {
            return;
        }
        try (Admin admin = Admin.create(adminProperties())) {
            List<NewTopic> topics = new ArrayList<>();
            topics.add(new NewTopic(kafka.topics().relayPositions(), Optional.of(POSITION_PARTITIONS), Optional.empty())
                    .configs(Map.of(
                            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                            TopicConfig.SEGMENT_MS_CONFIG, "600000",
                            TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.1")));
            if (kafka.createTopics()) {
                Optional<Integer> partitions = Optional.of(kafka.topicPartitions());
                for (String t : kafka.topics().records()) {
                    topics.add(new NewTopic(t, partitions, Optional.empty()));
                }
                topics.add(new NewTopic(kafka.topics().deadLetter(), partitions, Optional.empty()));
                topics.add(new NewTopic(kafka.topics().notifications(), partitions, Optional.empty()));
                topics.add(new NewTopic(kafka.topics().alerts(), partitions, Optional.empty()));
            }
            String positions = kafka.topics().relayPositions();
            boolean positionsExisted = false;
            for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> created :
                    admin.createTopics(topics).values().entrySet()) {
                String name = created.getKey();
                try {
                    created.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new KafkaException("Cannot create topic " + name + ": " + e.getCause(), e.getCause());
                    }
                    positionsExisted |= name.equals(positions);
                } catch (TimeoutException e) {
                    throw new KafkaException("Creating topic " + name + " timed out", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new KafkaException("Interrupted while creating topics", e);
                }
            }
            if (!positionsExisted) {
                ready = true; // just created with the right partitions (describing it now could race its metadata)
                return;
            }
            TopicDescription d = admin.describeTopics(List.of(positions))
                    .allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .get(positions);
            if (d.partitions().size() < POSITION_PARTITIONS) {
                throw new IllegalStateException("Topic " + positions + " needs " + POSITION_PARTITIONS
                        + " partitions (one per feed) but has " + d.partitions().size());
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("Cannot check the topics: " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while checking topics", e);
        }
        ready = true;
    }
}
