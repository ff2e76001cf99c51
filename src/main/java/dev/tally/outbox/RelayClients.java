package dev.tally.outbox;

import dev.tally.config.TallyKafkaProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The relay's own Kafka clients (raw clients, not Spring's templates: the relay needs one
 * transactional producer per (deployment, topic) pair, made and closed per session), from Spring
 * Boot's {@code spring.kafka.*} with what the relay's guarantees depend on forced. Each client's
 * own metrics are bound to Micrometer ({@link KafkaClientMetrics}, tagged {@code client.id}) for as
 * long as it lives: {@code kafka_producer_*{client_id="tally-relay-<feed>"}} while a feed's session
 * runs, {@code kafka_consumer_*} while a session reads its position.
 */
final class RelayClients {

    private final TallyKafkaProperties.Relay relay;
    private final Map<String, Object> producerProperties;
    private final Map<String, Object> consumerProperties;
    private final MeterRegistry meters;

    RelayClients(
            Map<String, Object> bootProducer,
            Map<String, Object> bootConsumer,
            TallyKafkaProperties.Relay relay,
            MeterRegistry meters) {
        this.relay = relay;
        this.meters = meters;
        this.producerProperties = producerProperties(bootProducer, relay);
        this.consumerProperties = positionConsumerProperties(bootConsumer);
    }

    private static Map<String, Object> producerProperties(Map<String, Object> base, TallyKafkaProperties.Relay relay) {
        Map<String, Object> p = new HashMap<>(base);
        int timeoutMs = (int) relay.requestTimeout().toMillis();
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2 * timeoutMs + 100);
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        // Back-to-back transactions often meet CONCURRENT_TRANSACTIONS while the broker finishes the
        // previous commit; the default 100 ms back-off would cap the relay at ~10 transactions/s.
        p.putIfAbsent(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 10);
        return p;
    }

    private static Map<String, Object> positionConsumerProperties(Map<String, Object> base) {
        Map<String, Object> p = new HashMap<>(base);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        return p;
    }

    /** The transactional producer of a feed's session: transactional.id {@code <prefix><key>}. */
    KafkaProducer<String, String> producer(Feed feed, String key) {
        Map<String, Object> p = new HashMap<>(producerProperties);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, relay.transactionalIdPrefix() + key);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "tally-relay-" + feed.column());
        return new KafkaProducer<>(p);
    }

    /** Binds {@code client}'s metrics until the returned binder is closed (before the client). */
    KafkaClientMetrics meter(Producer<?, ?> client) {
        KafkaClientMetrics m = new KafkaClientMetrics(client);
        m.bindTo(meters);
        return m;
    }

    /** Binds {@code client}'s metrics until the returned binder is closed (before the client). */
    KafkaClientMetrics meter(Consumer<?, ?> client) {
        KafkaClientMetrics m = new KafkaClientMetrics(client);
        m.bindTo(meters);
        return m;
    }

    /** A read_committed consumer without a group, for the positions topic. */
    KafkaConsumer<String, String> positionConsumer() {
        return new KafkaConsumer<>(consumerProperties);
    }
}
