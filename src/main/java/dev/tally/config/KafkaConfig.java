package dev.tally.config;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.core.MicrometerProducerListener;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Kafka wiring, present only when Kafka is on ({@link KafkaEnabled}). The connection comes from
 * Spring Boot's {@code spring.kafka.*}; what Tally's guarantees depend on is forced here.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(KafkaEnabled.class)
class KafkaConfig {

    /** Dead letters: raw bytes, acknowledged by all in-sync replicas, idempotent, never transactional. */
    @Bean
    DefaultKafkaProducerFactory<byte[], byte[]> deadLetterProducerFactory(KafkaProperties boot, MeterRegistry meters) {
        Map<String, Object> p = new HashMap<>(boot.buildProducerProperties());
        p.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "tally-dlq");
        DefaultKafkaProducerFactory<byte[], byte[]> factory = new DefaultKafkaProducerFactory<>(p);
        // The client's own metrics (kafka_producer_*: record-error-rate, request latency...).
        factory.addListener(new MicrometerProducerListener<>(meters));
        return factory;
    }

    @Bean
    KafkaTemplate<byte[], byte[]> deadLetterTemplate(
            DefaultKafkaProducerFactory<byte[], byte[]> deadLetterProducerFactory) {
        return new KafkaTemplate<>(deadLetterProducerFactory);
    }

    /**
     * The records listener: one consumer group over all input topics, batches of up to
     * {@code max-poll-records}, offsets committed by the container only after the listener returned
     * (ack mode BATCH, synchronous commit). A failed batch is re-delivered after an exponential
     * back-off that never gives up: the listener throws only for failures that
     * {@code processing.Failures} classifies retryable, and when dead letters are not confirmed (bad
     * messages, and records that fail for a fatal reason, are dead-lettered, not thrown), so giving
     * up would mean dropping good records.
     */
    @Bean
    ConcurrentMessageListenerContainer<byte[], byte[]> recordsListenerContainer(
            KafkaProperties boot,
            TallyKafkaProperties kafka,
            BatchMessageListener<byte[], byte[]> recordsListener,
            MeterRegistry meters) {
        Map<String, Object> p = new HashMap<>(boot.buildConsumerProperties());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, kafka.consumer().groupId());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, kafka.consumer().maxPollRecords());
        // Upstream transactions that abort must not be processed.
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // A new group starts from the beginning: nothing published before Tally started is lost.
        p.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");

        ContainerProperties cp =
                new ContainerProperties(kafka.topics().records().toArray(String[]::new));
        cp.setAckMode(ContainerProperties.AckMode.BATCH);
        cp.setSyncCommits(true);
        cp.setMessageListener(recordsListener);
        cp.setClientId("tally-records");

        DefaultKafkaConsumerFactory<byte[], byte[]> consumers = new DefaultKafkaConsumerFactory<>(p);
        // The consumers' own metrics, consumer lag included (kafka_consumer_fetch_manager_records_lag_max).
        consumers.addListener(new MicrometerConsumerListener<>(meters));
        ConcurrentMessageListenerContainer<byte[], byte[]> container =
                new ConcurrentMessageListenerContainer<>(consumers, cp);
        container.setConcurrency(kafka.consumer().concurrency());
        ExponentialBackOff backOff =
                new ExponentialBackOff(kafka.consumer().retryInitial().toMillis(), 2.0);
        backOff.setMaxInterval(kafka.consumer().retryMax().toMillis());
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        container.setCommonErrorHandler(new DefaultErrorHandler(backOff));
        return container;
    }
}
