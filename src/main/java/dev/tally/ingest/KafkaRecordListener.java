package dev.tally.ingest;

import dev.tally.config.KafkaEnabled;
import dev.tally.config.ProcessingProperties;
import dev.tally.config.TallyKafkaProperties;
import dev.tally.processing.Channel;
import dev.tally.processing.Failures;
import dev.tally.processing.GroupCommitter;
import dev.tally.processing.Outcome;
import dev.tally.processing.Overloaded;
import dev.tally.processing.RecordCounter;
import dev.tally.record.TallyRecord;
import dev.tally.record.TraceParent;
import dev.tally.record.Validation;
import dev.tally.security.SourceGrant;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Conditional;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.stereotype.Component;

/**
 * Kafka input (SPEC §6): one poll's records from all input topics go to the
 * {@link GroupCommitter} as ONE submission, i.e. the same unit of work as an HTTP batch.
 *
 * <p>Order of effects, and why it gives "nothing lost, nothing doubled":
 * <ol>
 * <li>parse and validate every message (an unparsable or invalid one becomes a dead letter, and so
 * does a valid one whose sourceId its topic may not carry: {@code tally.kafka.topics.sources});
 * <li>submit the valid records and wait for their transaction to commit;
 * <li>send the dead letters (invalid messages, forbidden sources, conflicts, records that failed
 *     alone) and wait for the broker's acks;
 * <li>return: only then does the container commit the batch's offsets (ack mode BATCH).
 * </ol>
 * A failure in 2 is classified by {@link Failures}, the same classifier as HTTP's 503/500:
 * <ul>
 * <li><b>retryable</b> (database down, {@link Overloaded}, a deadlock): thrown. The container's
 *     error handler re-delivers the whole batch after a back-off, without end and without
 *     dead-lettering anything: the records are fine, the database is not;
 * <li><b>fatal</b> (a constraint or data error, a statement refused, a bug): the same input would
 *     fail forever and stall the partition. The records are committed again in halves, each half
 *     a submission of its own, recursively and in input order, down to single records: every
 *     record that does not fail is committed once, and a record that fails even alone becomes a
 *     dead letter {@code processing-failed} with the exception, in 3. A retryable failure during
 *     the halving is thrown as above (what the halves committed then comes back as duplicates).
 *     One refused record in a poll of n costs about 2·log2(n) transactions.
 * </ul>
 * A failure in 3 (DLQ unreachable) is thrown, and retried the same way. Re-delivery is harmless for
 * the database (the records are now duplicates, which are simply acknowledged); a dead letter
 * already sent before the failure may be sent again, so the DLQ is at-least-once (its headers carry
 * the original topic/partition/offset to drop repeats).
 *
 * <p>The halving is here, not in the container's error handler: the handler can skip a record only
 * when told its index ({@code BatchListenerFailedException}), which takes the same search, and then
 * re-delivers the rest of the poll once per refused record; and the dead letters would have a
 * second sending path with other headers. The caught failure is not swallowed: it is logged, counted
 * and carried in the dead letter's headers.
 */
@Component
@Conditional(KafkaEnabled.class)
class KafkaRecordListener implements BatchMessageListener<byte[], byte[]> {

    private static final String TRACEPARENT = "traceparent";

    private static final Logger log = LoggerFactory.getLogger(KafkaRecordListener.class);

    /** What became of one valid record: its outcome, or the fatal failure its unit of work met even alone. */
    private record Result(Outcome outcome, RuntimeException failure) {
        Result {
            if ((outcome == null) == (failure == null)) {
                throw new IllegalArgumentException("exactly one of outcome and failure");
            }
        }
    }

    private final GroupCommitter committer;
    private final RecordCounter counter;
    private final Tracer tracer;
    private final Propagator propagator;
    private final KafkaTemplate<byte[], byte[]> deadLetters;
    private final TallyKafkaProperties kafka;
    private final ProcessingProperties processing;
    private final Counter invalidLetters;
    private final Counter conflictLetters;
    private final Counter failedLetters;
    private final Counter forbiddenLetters;
    private final Counter halvings;
    private final Map<String, SourceGrant> topicSources;
    private final Counter received;

    KafkaRecordListener(
            GroupCommitter committer,
            RecordCounter counter,
            KafkaTemplate<byte[], byte[]> deadLetters,
            TallyKafkaProperties kafka,
            ProcessingProperties processing,
            MeterRegistry meters,
            ObjectProvider<Tracer> tracer,
            ObjectProvider<Propagator> propagator) {
        this.tracer = tracer.getIfAvailable(() -> Tracer.NOOP);
        this.propagator = propagator.getIfAvailable(() -> Propagator.NOOP);
        this.committer = committer;
        this.counter = counter;
        this.deadLetters = deadLetters;
        this.kafka = kafka;
        this.processing = processing;
        this.invalidLetters = deadLetterCounter(meters, DeadLetters.INVALID);
        this.conflictLetters = deadLetterCounter(meters, DeadLetters.CONFLICT);
        this.failedLetters = deadLetterCounter(meters, DeadLetters.PROCESSING_FAILED);
        this.halvings = Counter.builder("tally.kafka.fatal.splits")
                .description(
                        "Submissions of Kafka records that failed for a fatal reason and were retried in two halves")
                .register(meters);
        this.forbiddenLetters = deadLetterCounter(meters, DeadLetters.FORBIDDEN_SOURCE);
        Map<String, SourceGrant> sources = new HashMap<>();
        kafka.topics().sources().forEach((topic, ids) -> sources.put(topic, SourceGrant.of(ids)));
        this.topicSources = Map.copyOf(sources);
        this.received = Counter.builder("tally.kafka.records.received")
                .description("Messages read from the input topics (re-deliveries included)")
                .register(meters);
    }

    private static Counter deadLetterCounter(MeterRegistry meters, String reason) {
        return Counter.builder("tally.kafka.dead.letters")
                .description("Input messages sent to the dead-letter topic")
                .tag("reason", reason)
                .register(meters);
    }

    /**
     * One span per poll, the child of the first message that carries a W3C {@code traceparent}
     * (Spring Kafka observes record listeners only, not batches), current while the poll is written,
     * so that the write transaction and the logs carry its trace.
     */
    @Override
    public void onMessage(List<ConsumerRecord<byte[], byte[]>> batch) {
        Span span = pollSpan(batch);
        try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
            process(batch);
        } catch (RuntimeException e) {
            span.error(e);
            throw e;
        } finally {
            span.end();
        }
    }

    private Span pollSpan(List<ConsumerRecord<byte[], byte[]>> batch) {
        for (ConsumerRecord<byte[], byte[]> message : batch) {
            if (message.headers().lastHeader(TRACEPARENT) != null) {
                return propagator
                        .extract(message.headers(), KafkaRecordListener::header)
                        .name("tally kafka poll")
                        .tag("messaging.batch.message_count", batch.size())
                        .start();
            }
        }
        return tracer.nextSpan()
                .name("tally kafka poll")
                .tag("messaging.batch.message_count", batch.size())
                .start();
    }

    private static @Nullable String header(Headers headers, String key) {
        Header h = headers.lastHeader(key);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private void process(List<ConsumerRecord<byte[], byte[]>> batch) {
        received.increment(batch.size());
        List<Validation> items = new ArrayList<>(batch.size());
        List<TallyRecord> valid = new ArrayList<>(batch.size());
        // Each record's messages carry its own message's traceparent, else the poll span's.
        List<@Nullable String> traces = new ArrayList<>(batch.size());
        String pollTrace = TraceParent.of(tracer.currentTraceContext().context());
        for (ConsumerRecord<byte[], byte[]> message : batch) {
            Validation v = RecordReader.readMessage(message.value());
            items.add(v);
            if (v instanceof Validation.Valid ok && permitted(message, ok.record())) {
                valid.add(ok.record());
                String own = TraceParent.orNull(header(message.headers(), TRACEPARENT));
                traces.add(own != null ? own : pollTrace);
            }
        }
        List<Result> results = new ArrayList<>(valid.size());
        commitInHalvesOnFatal(valid, traces, results);

        String topic = kafka.topics().deadLetter();
        List<ProducerRecord<byte[], byte[]>> letters = new ArrayList<>();
        int invalid = 0;
        int conflicts = 0;
        int failed = 0;
        int forbidden = 0;
        int next = 0;
        for (int i = 0; i < batch.size(); i++) {
            Validation v = items.get(i);
            if (v instanceof Validation.Invalid bad) {
                letters.add(DeadLetters.of(topic, batch.get(i), DeadLetters.INVALID, bad.recordId(), bad.errors()));
                invalid++;
                continue;
            }
            TallyRecord r = ((Validation.Valid) v).record();
            if (!permitted(batch.get(i), r)) {
                letters.add(DeadLetters.of(
                        topic,
                        batch.get(i),
                        DeadLetters.FORBIDDEN_SOURCE,
                        r.recordId(),
                        List.of(SourceRefusal.onTopic(r, batch.get(i).topic()))));
                forbidden++;
                continue;
            }
            Result result = results.get(next++);
            if (result.failure() != null) {
                letters.add(DeadLetters.processingFailed(topic, batch.get(i), r.recordId(), result.failure()));
                failed++;
            } else if (result.outcome().kind() == Outcome.Kind.CONFLICT) {
                letters.add(DeadLetters.of(
                        topic,
                        batch.get(i),
                        DeadLetters.CONFLICT,
                        r.recordId(),
                        ItemResult.conflictErrors(result.outcome())));
                conflicts++;
            }
        }
        send(letters);
        invalidLetters.increment(invalid);
        counter.refused(Channel.KAFKA, ItemOutcome.INVALID.wire(), invalid);
        counter.refused(Channel.KAFKA, ItemOutcome.FORBIDDEN.wire(), forbidden);
        conflictLetters.increment(conflicts);
        failedLetters.increment(failed);
        forbiddenLetters.increment(forbidden);
    }

    private boolean permitted(ConsumerRecord<byte[], byte[]> message, TallyRecord record) {
        return topicSources.getOrDefault(message.topic(), SourceGrant.ALL).permits(record.sourceId());
    }

    /**
     * Commits {@code records} as one submission and appends one result per record to {@code out},
     * in input order. On a fatal failure it does the same for each half, so that only the records
     * that fail even alone end without an outcome. A retryable failure is thrown, at any depth.
     */
    private void commitInHalvesOnFatal(List<TallyRecord> records, List<@Nullable String> traces, List<Result> out) {
        List<Outcome> outcomes;
        try {
            outcomes = commit(records, traces);
        } catch (RuntimeException e) {
            if (Failures.classify(e) == Failures.Kind.RETRYABLE) {
                throw e;
            }
            if (records.size() == 1) {
                log.error(
                        "Record {} fails alone for a fatal reason; it goes to the dead-letter topic as {}",
                        records.get(0).recordId(),
                        DeadLetters.PROCESSING_FAILED,
                        e);
                out.add(new Result(null, e));
                return;
            }
            // The stack trace is logged once, with the record it is isolated to; here only the message.
            log.warn(
                    "A unit of work of {} Kafka records failed for a fatal reason ({}); retrying it in halves",
                    records.size(),
                    e.toString());
            halvings.increment();
            int half = records.size() / 2;
            commitInHalvesOnFatal(records.subList(0, half), traces.subList(0, half), out);
            commitInHalvesOnFatal(records.subList(half, records.size()), traces.subList(half, traces.size()), out);
            return;
        }
        for (Outcome o : outcomes) {
            out.add(new Result(o, null));
        }
    }

    /** Submits and waits for the commit; every failure is thrown, for the caller to classify. */
    private List<Outcome> commit(List<TallyRecord> valid, List<@Nullable String> traces) {
        try {
            return Commits.await(
                    committer.submit(valid, Channel.KAFKA, traces),
                    processing.commitTimeout(),
                    processing.retryAfter());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Overloaded(
                    "Interrupted while submitting; the batch will be re-delivered", processing.retryAfter());
        }
    }

    /** Sends the dead letters and waits for every ack: a dead letter is confirmed before its offset is committed. */
    private void send(List<ProducerRecord<byte[], byte[]>> letters) {
        if (letters.isEmpty()) {
            return;
        }
        List<CompletableFuture<?>> acks = new ArrayList<>(letters.size());
        for (ProducerRecord<byte[], byte[]> letter : letters) {
            // A send that could not get metadata within max.block.ms comes back already failed;
            // the next ones would each wait as long again, so the first failure ends the batch.
            if (!acks.isEmpty() && acks.get(acks.size() - 1).isCompletedExceptionally()) {
                break;
            }
            acks.add(deadLetters.send(letter));
        }
        long timeoutMs = kafka.consumer().sendTimeout().toMillis();
        try {
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while sending dead letters; the batch will be re-delivered", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException(
                    "Dead letters not confirmed within " + timeoutMs + " ms; the batch will be re-delivered", e);
        }
    }
}
