package dev.tally.processing;

import dev.tally.config.ProcessingProperties;
import dev.tally.record.TallyRecord;
import dev.tally.record.TraceParent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.tracing.Link;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Group commit: every producer (HTTP requests, the Kafka listener) submits its records here; one
 * writer thread drains the queue and merges whatever is waiting, up to
 * {@code tally.processing.max-transaction-records}, into ONE {@link UnitOfWork} transaction. Each
 * submission's future completes after that commit, so a producer acknowledges only durable work,
 * and throughput does not collapse to one commit per request.
 *
 * <p>Limits: the queue holds at most {@code queue-capacity-records} records (a semaphore counts
 * them); a producer waits at most {@code enqueue-timeout} for room, then gets {@link Overloaded}.
 * A submission is never split across transactions, so a batch request is atomic. Submissions are
 * processed in arrival order, so records submitted one after another by one producer are
 * processed in that order.
 *
 * <p>If a merged transaction fails, each submission in it is retried alone once, so that one
 * producer's poison record cannot fail the others; a submission that fails alone gets the error.
 */
@Component
public class GroupCommitter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);

    /**
     * @param trace the span that submitted, if traced: the write transaction's parent or link
     * @param submittedNanos {@link System#nanoTime()} when queued, for the queue-wait timer
     */
    private record Submission(
            List<TallyRecord> records,
            List<@Nullable String> traces,
            Channel channel,
            @Nullable TraceContext trace,
            CompletableFuture<List<Outcome>> result,
            long submittedNanos) {}

    /** Links from one write transaction's span to the spans it serves, at most this many. */
    private static final int MAX_LINKS = 32;

    private final UnitOfWork unitOfWork;
    private final ProcessingProperties limits;
    private final LinkedBlockingQueue<Submission> queue = new LinkedBlockingQueue<>();
    private final Semaphore room;
    private final Timer commitTimer;
    private final Timer queueWait;
    private final DistributionSummary transactionRecords;
    private final RecordCounter processed;
    private final Tracer tracer;
    private final Counter failedTransactions;
    private volatile boolean running;
    private volatile Thread writer;

    public GroupCommitter(
            UnitOfWork unitOfWork,
            ProcessingProperties limits,
            RecordCounter processed,
            MeterRegistry meters,
            ObjectProvider<Tracer> tracer) {
        this.unitOfWork = unitOfWork;
        this.processed = processed;
        this.tracer = tracer.getIfAvailable(() -> Tracer.NOOP);
        this.limits = limits;
        this.room = new Semaphore(limits.queueCapacityRecords());
        this.commitTimer = Timer.builder("tally.processing.transaction")
                .description("Time to run and commit one group-commit transaction")
                .publishPercentileHistogram()
                .register(meters);
        this.queueWait = Timer.builder("tally.processing.queue.wait")
                .description("Time from a submission being queued to the writer taking it into a transaction")
                .publishPercentileHistogram()
                .register(meters);
        this.transactionRecords = DistributionSummary.builder("tally.processing.transaction.records")
                .description("Records merged into one transaction")
                .register(meters);
        this.failedTransactions = Counter.builder("tally.processing.transaction.failures")
                .description("Write transactions that failed and were rolled back")
                .register(meters);
        Gauge.builder(
                        "tally.processing.queue.records",
                        this,
                        c -> limits.queueCapacityRecords() - c.room.availablePermits())
                .description("Records waiting for the writer")
                .register(meters);
    }

    /**
     * Queues {@code records} for processing; the future completes with one outcome per record
     * after commit, or exceptionally with the database error. Their messages carry the trace
     * context of the caller's current span, if any.
     *
     * @throws Overloaded when there is no room within the enqueue timeout, or the service is stopping
     */
    public CompletableFuture<List<Outcome>> submit(List<TallyRecord> records, Channel channel)
            throws InterruptedException {
        return submit(
                records,
                channel,
                Collections.nCopies(
                        records.size(),
                        TraceParent.of(tracer.currentTraceContext().context())));
    }

    /**
     * As {@link #submit(List, Channel)}, each record with its own W3C traceparent ({@code traces},
     * aligned with {@code records}; null entries for none), e.g. the header of its Kafka message.
     */
    public CompletableFuture<List<Outcome>> submit(
            List<TallyRecord> records, Channel channel, List<@Nullable String> traces) throws InterruptedException {
        if (traces.size() != records.size()) {
            throw new IllegalArgumentException("one trace entry per record");
        }
        if (records.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        int permits = Math.min(records.size(), limits.queueCapacityRecords());
        if (!running) {
            throw new Overloaded(
                    "Tally is not accepting records: it is starting or shutting down", limits.retryAfter());
        }
        if (!room.tryAcquire(permits, limits.enqueueTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
            throw new Overloaded(
                    "The write queue is full (" + limits.queueCapacityRecords() + " records waiting); retry later",
                    limits.retryAfter());
        }
        Submission submission = new Submission(
                List.copyOf(records),
                Collections.unmodifiableList(new ArrayList<>(traces)),
                channel,
                tracer.currentTraceContext().context(),
                new CompletableFuture<>(),
                System.nanoTime());
        queue.add(submission);
        return submission.result();
    }

    /** True while the writer thread is alive: the readiness probe includes this. */
    public boolean isWriterAlive() {
        Thread t = writer;
        return running && t != null && t.isAlive();
    }

    private void runWriter() {
        while (running || !queue.isEmpty()) {
            Submission first;
            try {
                first = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (first == null) {
                continue;
            }
            List<Submission> batch = new ArrayList<>();
            batch.add(first);
            int size = first.records().size();
            Submission next;
            while ((next = queue.peek()) != null && size + next.records().size() <= limits.maxTransactionRecords()) {
                batch.add(queue.poll());
                size += next.records().size();
            }
            long pickedUp = System.nanoTime();
            for (Submission s : batch) {
                queueWait.record(pickedUp - s.submittedNanos(), TimeUnit.NANOSECONDS);
            }
            try {
                commit(batch);
            } finally {
                room.release(permitsOf(batch));
            }
        }
        failRemaining();
    }

    private int permitsOf(List<Submission> batch) {
        int permits = 0;
        for (Submission s : batch) {
            permits += Math.min(s.records().size(), limits.queueCapacityRecords());
        }
        return permits;
    }

    private void commit(List<Submission> batch) {
        List<TallyRecord> all = new ArrayList<>();
        List<@Nullable String> traces = new ArrayList<>();
        for (Submission s : batch) {
            all.addAll(s.records());
            traces.addAll(s.traces());
        }
        List<Outcome> outcomes;
        Span span = writeSpan(batch, all.size());
        try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
            outcomes = commitTimer.recordCallable(() -> unitOfWork.process(all, traces));
        } catch (RuntimeException e) {
            span.error(e);
            span.end();
            failedTransactions.increment();
            if (batch.size() == 1) {
                log.warn("Write transaction of {} records failed", all.size(), e);
                batch.get(0).result().completeExceptionally(e);
                return;
            }
            log.warn("Merged write transaction of {} submissions failed; retrying each alone", batch.size(), e);
            for (Submission s : batch) {
                commit(List.of(s));
            }
            return;
        } catch (Exception e) {
            span.end();
            throw new IllegalStateException("unreachable: process() throws no checked exception", e);
        }
        span.end();
        transactionRecords.record(all.size());
        int from = 0;
        for (Submission s : batch) {
            List<Outcome> mine = outcomes.subList(from, from + s.records().size());
            from += s.records().size();
            for (Outcome o : mine) {
                processed.count(s.channel(), o.kind());
            }
            s.result().complete(List.copyOf(mine));
        }
    }

    /**
     * One span per write transaction: a child of the first traced submission it serves, linked to
     * the others, so that a request's trace leads to the transaction that committed it.
     */
    private Span writeSpan(List<Submission> batch, int records) {
        Span.Builder span = tracer.spanBuilder().name("tally write");
        boolean parented = false;
        int links = 0;
        for (Submission s : batch) {
            if (s.trace() == null) {
                continue;
            }
            if (!parented) {
                span.setParent(s.trace());
                parented = true;
            } else if (links++ < MAX_LINKS) {
                span.addLink(new Link(s.trace()));
            }
        }
        if (!parented) {
            span.setNoParent();
        }
        return span.tag("tally.records", records)
                .tag("tally.submissions", batch.size())
                .start();
    }

    private void failRemaining() {
        Submission s;
        while ((s = queue.poll()) != null) {
            s.result().completeExceptionally(new Overloaded("Tally is shutting down", limits.retryAfter()));
        }
    }

    @Override
    public void start() {
        running = true;
        Thread t = new Thread(this::runWriter, "tally-writer");
        t.setDaemon(false);
        writer = t;
        t.start();
    }

    /** Stops taking work, lets the writer commit everything already queued, then returns. */
    @Override
    public void stop() {
        running = false;
        Thread t = writer;
        if (t != null) {
            try {
                t.join(limits.commitTimeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts before and stops after the web server and the Kafka listeners that feed it. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1_000;
    }
}
