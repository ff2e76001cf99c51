package dev.tally.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Tally's Kafka settings (prefix {@code tally.kafka}). They only matter when Kafka is on, that is
 * when {@code spring.kafka.bootstrap-servers} is set (see {@link KafkaEnabled}); the connection
 * itself (servers, security, client overrides) is Spring Boot's {@code spring.kafka.*}.
 *
 * @param topics             the topics Tally reads and writes
 * @param consumer           the records listener
 * @param relay              the outbox relay
 * @param createTopics       create missing topics at start-up (the broker may also forbid it)
 * @param topicPartitions    partitions of the topics Tally creates (records, outputs, DLQ)
 */
@Validated
@ConfigurationProperties("tally.kafka")
public record TallyKafkaProperties(
        @Valid @NotNull @DefaultValue Topics topics,
        @Valid @NotNull @DefaultValue Consumer consumer,
        @Valid @NotNull @DefaultValue Relay relay,
        @DefaultValue("true") boolean createTopics,
        @Min(1) @Max(10_000) @DefaultValue("3") int topicPartitions) {

    /**
     * @param records        input topics (several upstream services), all read by one consumer group
     * @param deadLetter     invalid messages and conflicts, with the original bytes and reason headers
     * @param notifications  {@code record.processed} messages
     * @param alerts         {@code record.threshold_exceeded} messages
     * @param relayPositions the relay's published position per feed: compacted, written in the same
     *                       Kafka transaction as the messages it covers
     * @param sources        per input topic, the sourceIds its records may carry ({@code "*"}: any);
     *                       a record of another source is dead-lettered ({@code forbidden-source}).
     *                       A topic without an entry accepts any source. Topic names with dots need
     *                       the bracket form: {@code tally.kafka.topics.sources.[records.eu]=billing}
     */
    public record Topics(
            @NotEmpty @DefaultValue("records") List<@NotBlank String> records,
            @NotBlank @DefaultValue("records.dlq") String deadLetter,
            @NotBlank @DefaultValue("notifications") String notifications,
            @NotBlank @DefaultValue("alerts") String alerts,
            @NotBlank @DefaultValue("tally.relay.positions") String relayPositions,
            Map<String, @NotEmpty List<@NotBlank String>> sources) {

        public Topics {
            records = List.copyOf(records);
            sources = sources == null ? Map.of() : Map.copyOf(sources);
        }

        /** A list for a topic Tally does not read is a typo that would leave the real topic open. */
        @AssertTrue(message = "tally.kafka.topics.sources: every key must be one of tally.kafka.topics.records")
        public boolean isSourcesOfInputTopics() {
            return records.containsAll(sources.keySet());
        }

        /** An input topic that is also an output would feed Tally its own messages. */
        @AssertTrue(
                message = "tally.kafka.topics: the record topics, dead-letter, notifications, alerts and "
                        + "relay-positions topics must all be different")
        public boolean isDistinct() {
            Set<String> all = new HashSet<>(records);
            return all.size() == records.size()
                    && all.add(deadLetter)
                    && all.add(notifications)
                    && all.add(alerts)
                    && all.add(relayPositions);
        }
    }

    /**
     * @param groupId         the consumer group shared by all instances
     * @param concurrency     consumers per instance; more than the partitions is idle
     * @param maxPollRecords  records per poll, i.e. per batch handed to the unit of work
     * @param retryInitial    first back-off after a transient failure (database down, overloaded)
     * @param retryMax        the back-off's ceiling; transient failures are retried without end
     * @param sendTimeout     how long a dead-letter send may take before the batch is retried
     */
    public record Consumer(
            @NotBlank @DefaultValue("tally") String groupId,
            @Min(1) @Max(64) @DefaultValue("2") int concurrency,
            @Min(1) @Max(10_000) @DefaultValue("1000") int maxPollRecords,
            @NotNull @DefaultValue("200ms") Duration retryInitial,
            @NotNull @DefaultValue("10s") Duration retryMax,
            @NotNull @DefaultValue("30s") Duration sendTimeout) {}

    /**
     * @param transactionalIdPrefix the relay of a feed uses the transactional.id
     *                              {@code <prefix><deployment>/<topic>} (the deployment identity kept
     *                              in the database): a new publisher of the same pair fences the old
     *                              one, other deployments on the cluster are not affected
     * @param batchMessages         messages published in one Kafka transaction
     * @param pollInterval          pause when the outbox has nothing new
     * @param retryMax              ceiling of the back-off while Kafka is unreachable
     * @param leaderRetry           how often a standby instance tries to become a feed's publisher
     * @param requestTimeout        bound on each blocking Kafka call of the relay
     * @param stallReminder         how often a stalled feed's publisher logs its ERROR again
     */
    public record Relay(
            @NotBlank @DefaultValue("tally-relay-") String transactionalIdPrefix,
            @Min(1) @Max(100_000) @DefaultValue("2000") int batchMessages,
            @NotNull @DefaultValue("50ms") Duration pollInterval,
            @NotNull @DefaultValue("5s") Duration retryMax,
            @NotNull @DefaultValue("2s") Duration leaderRetry,
            @NotNull @DefaultValue("15s") Duration requestTimeout,
            @NotNull @DefaultValue("1m") Duration stallReminder) {}
}
