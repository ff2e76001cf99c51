package dev.tally.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;

/**
 * The bench's Kafka clients, as an upstream service and a downstream reader would use them: an
 * idempotent producer of records, {@code read_committed} consumers of Tally's outputs, and an
 * admin client to wait until Tally is ready to read. Topic names are Tally's defaults
 * (docs/kafka.md).
 */
final class KafkaDriver implements AutoCloseable {

    static final String RECORDS = "records";
    static final String DEAD_LETTER = "records.dlq";
    static final String NOTIFICATIONS = "notifications";
    static final String ALERTS = "alerts";
    static final String RELAY_POSITIONS = "tally.relay.positions";
    static final String GROUP_ID = "tally";

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RELAY_TIMEOUT = Duration.ofMinutes(10);

    private final String bootstrap;
    private final Admin admin;

    KafkaDriver(String bootstrap) {
        this.bootstrap = bootstrap;
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                (int) TIMEOUT.toMillis()));
    }

    /**
     * Waits until Tally created its topics and its records listener holds a stable assignment, so
     * that joining the group is not part of the measured time. Returns what was missing at the
     * deadline (empty when ready).
     */
    String awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String missing = "";
        while (System.nanoTime() < deadline) {
            try {
                Set<String> topics = admin.listTopics().names().get(10, TimeUnit.SECONDS);
                List<String> absent = new ArrayList<>();
                for (String t : List.of(RECORDS, DEAD_LETTER, NOTIFICATIONS, ALERTS, RELAY_POSITIONS)) {
                    if (!topics.contains(t)) {
                        absent.add(t);
                    }
                }
                if (!absent.isEmpty()) {
                    missing = "topics " + absent;
                } else {
                    ConsumerGroupDescription g = admin.describeConsumerGroups(List.of(GROUP_ID))
                            .all()
                            .get(10, TimeUnit.SECONDS)
                            .get(GROUP_ID);
                    int assigned = g.members().stream()
                            .mapToInt(m -> m.assignment().topicPartitions().size())
                            .sum();
                    if (g.groupState() == GroupState.STABLE
                            && assigned == partitions(RECORDS).size()) {
                        return "";
                    }
                    missing = "consumer group " + GROUP_ID + " " + g.groupState() + ", " + assigned
                            + " partitions assigned";
                }
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                missing = e.toString();
            }
            Thread.sleep(250);
        }
        return missing;
    }

    List<TopicPartition> partitions(String topic) {
        try {
            TopicDescription d = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                    .get(topic);
            return d.partitions().stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
        } catch (Exception e) {
            throw new IllegalStateException("cannot describe topic " + topic, e);
        }
    }

    /**
     * The relay's published position per feed ("notifications" / "alerts" → last seq), read
     * {@code read_committed} from the positions topic: what a downstream reader can see.
     */
    Map<String, Long> relayPositions() {
        Map<String, Long> found = new HashMap<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(consumerProperties(StringDeserializer.class))) {
            List<TopicPartition> tps = partitions(RELAY_POSITIONS);
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps, TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (tps.stream().anyMatch(tp -> c.position(tp, TIMEOUT) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + RELAY_POSITIONS + " timed out");
                }
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    if (r.key() != null && r.value() != null) {
                        found.merge(positionFeed(r.key()), positionSeq(r.value()), Math::max);
                    }
                }
            }
        }
        return found;
    }

    /**
     * The feed of a position message's key: today's service keys it "deploymentId/topic" (one
     * deployment per database; the bench's broker serves one), revisions before it by the topic.
     */
    static String positionFeed(String key) {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    /**
     * The seq of a position message: today's service writes {@code {"seq":N,"messageId":"..."}},
     * revisions before it a bare number (bench/ab.sh may run those).
     */
    static long positionSeq(String value) {
        String v = value.strip();
        if (!v.startsWith("{")) {
            return Long.parseLong(v);
        }
        try (JsonParser p = Http.JSON.createParser(ObjectReadContext.empty(), v)) {
            p.nextToken();
            String name;
            while ((name = p.nextName()) != null) {
                p.nextToken();
                if (name.equals("seq")) {
                    return p.getLongValue();
                }
                p.skipChildren();
            }
        }
        throw new IllegalStateException("a relay position without a seq: " + value);
    }

    /**
     * The records producer: idempotent (no duplicate or reordered message on a retry), acks=all,
     * batched (20 ms linger, 512 KiB batches) and LZ4-compressed, as a bulk upstream would be.
     */
    KafkaProducer<String, byte[]> producer() {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "tally-bench");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
        return new KafkaProducer<>(p);
    }

    /** A consumer with no group (partitions are assigned by hand), read_committed, large fetches. */
    KafkaConsumer<byte[], byte[]> outputConsumer() {
        return new KafkaConsumer<>(consumerProperties(ByteArrayDeserializer.class));
    }

    private Map<String, Object> consumerProperties(Class<?> deserializer) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "tally-bench-reader");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, deserializer);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, deserializer);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
        return p;
    }

    /** A header's value as text, or null when absent. */
    static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /**
     * Reads the notifications, alerts and dead-letter topics {@code read_committed} from the offsets
     * they had when it was opened, keeping the scenario's messages ({@code messageId} /
     * {@code tally-dlq-record-id} with the scenario's prefix), until every expected message is in,
     * or nothing new arrived for {@code stall}. One thread; its results are read after {@link Thread#join}.
     */
    static final class Outputs implements Runnable {
        final Set<String> notifications = new HashSet<>();
        final Set<String> alerts = new HashSet<>();
        /** original "partition/offset" on the records topic → reason ("invalid" / "conflict"). */
        final Map<String, String> deadLetters = new HashMap<>();

        long repeatedNotifications;
        long repeatedAlerts;
        long repeatedDeadLetters;
        long unreadable;
        /** When the last expected notification was read (System.nanoTime), 0 until then. */
        volatile long lastNotificationNs;

        volatile boolean stop;
        volatile Throwable error;

        private final KafkaConsumer<byte[], byte[]> consumer;
        private final String prefix;
        private final int wantNotifications;
        private final int wantAlerts;
        private final int wantDeadLetters;
        private final Duration stall;
        private final Progress progress;

        Outputs(
                KafkaDriver kafka,
                String prefix,
                int wantNotifications,
                int wantAlerts,
                int wantDeadLetters,
                Duration stall,
                Progress progress) {
            this.prefix = prefix;
            this.wantNotifications = wantNotifications;
            this.wantAlerts = wantAlerts;
            this.wantDeadLetters = wantDeadLetters;
            this.stall = stall;
            this.progress = progress;
            this.consumer = kafka.outputConsumer();
            List<TopicPartition> tps = new ArrayList<>();
            for (String t : List.of(NOTIFICATIONS, ALERTS, DEAD_LETTER)) {
                tps.addAll(kafka.partitions(t));
            }
            consumer.assign(tps);
            // Positioned now, before the first record is sent: nothing of the scenario can be earlier.
            consumer.endOffsets(tps, TIMEOUT).forEach(consumer::seek);
            for (TopicPartition tp : tps) {
                consumer.position(tp, TIMEOUT);
            }
        }

        boolean complete() {
            return notifications.size() >= wantNotifications
                    && alerts.size() >= wantAlerts
                    && deadLetters.size() >= wantDeadLetters;
        }

        @Override
        public void run() {
            try (consumer) {
                long lastProgress = System.nanoTime();
                while (!stop && !complete()) {
                    boolean any = false;
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        any |= take(r);
                    }
                    long now = System.nanoTime();
                    if (any) {
                        lastProgress = now;
                    } else if (now - lastProgress > stall.toNanos()) {
                        return; // the verification reports what is missing
                    }
                }
            } catch (Throwable e) {
                error = e;
            }
        }

        /** Keeps {@code r} if it is one of the scenario's messages; true if it was. */
        private boolean take(ConsumerRecord<byte[], byte[]> r) {
            return switch (r.topic()) {
                case NOTIFICATIONS -> takeNotification(r);
                case ALERTS -> takeAlert(r);
                default -> takeDeadLetter(r);
            };
        }

        private boolean takeNotification(ConsumerRecord<byte[], byte[]> r) {
            String id = header(r, "messageId");
            if (id == null) {
                unreadable++;
                return false;
            }
            if (!id.startsWith(prefix)) {
                return false;
            }
            if (!notifications.add(id)) {
                repeatedNotifications++;
            } else if (notifications.size() == wantNotifications) {
                lastNotificationNs = System.nanoTime();
            }
            progress.set(notifications.size());
            return true;
        }

        private boolean takeAlert(ConsumerRecord<byte[], byte[]> r) {
            String id = header(r, "messageId");
            if (id == null) {
                unreadable++;
                return false;
            }
            if (id.startsWith(prefix) && !alerts.add(id)) {
                repeatedAlerts++;
            }
            return id.startsWith(prefix);
        }

        private boolean takeDeadLetter(ConsumerRecord<byte[], byte[]> r) {
            String id = header(r, "tally-dlq-record-id");
            if (id == null || !id.startsWith(prefix) || !RECORDS.equals(header(r, "tally-dlq-original-topic"))) {
                return false;
            }
            // At-least-once: a dead letter may be written twice; the original's coordinates identify it.
            String at = header(r, "tally-dlq-original-partition") + "/" + header(r, "tally-dlq-original-offset");
            if (deadLetters.put(at, header(r, "tally-dlq-reason")) != null) {
                repeatedDeadLetters++;
            }
            return true;
        }
    }

    /** Waits until the relay published every message earlier scenarios put in the outbox. */
    void awaitRelay(long notifications, long alerts) throws InterruptedException {
        long deadline = System.nanoTime() + RELAY_TIMEOUT.toNanos();
        boolean told = false;
        while (true) {
            Map<String, Long> at = relayPositions();
            long n = at.getOrDefault(NOTIFICATIONS, 0L);
            long a = at.getOrDefault(ALERTS, 0L);
            if (n >= notifications && a >= alerts) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the relay did not catch up: notifications " + n + "/" + notifications
                        + ", alerts " + a + "/" + alerts);
            }
            if (!told) {
                System.out.printf(
                        Locale.ROOT,
                        "  waiting for the relay to publish the earlier scenarios' messages"
                                + " (notifications %,d/%,d, alerts %,d/%,d)%n",
                        n,
                        notifications,
                        a,
                        alerts);
                told = true;
            }
            Thread.sleep(500);
        }
    }

    @Override
    public void close() {
        admin.close(TIMEOUT);
    }
}
