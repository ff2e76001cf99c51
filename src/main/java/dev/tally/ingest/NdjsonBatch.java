package dev.tally.ingest;

import dev.tally.processing.Channel;
import dev.tally.processing.FailureAdvice;
import dev.tally.processing.GroupCommitter;
import dev.tally.processing.Outcome;
import dev.tally.processing.RecordCounter;
import dev.tally.record.RecordJson;
import dev.tally.record.TallyRecord;
import dev.tally.record.Validation;
import dev.tally.security.SourceGrant;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;

/**
 * One NDJSON batch request of any length, streamed both ways with bounded memory: lines are
 * validated and submitted to the writer in chunks, with at most {@link #MAX_IN_FLIGHT} chunks
 * waiting for their commit, and each chunk's results are written as soon as it commits. The body
 * is therefore {@code {"results":[...],"accepted":n,...}} (results first, counts at the end).
 *
 * <p>Each chunk commits on its own: if the database fails mid-stream after results were sent,
 * the response ends with an {@code "error"} problem and {@code "complete":false}, listing the
 * results of every chunk that did commit; everything else can be resent safely.
 */
final class NdjsonBatch {

    static final int MAX_IN_FLIGHT = 2;

    private record Item(long index, Validation validation) {}

    private static final class Chunk {
        final List<Item> items = new ArrayList<>();
        final List<TallyRecord> valid = new ArrayList<>();
        CompletableFuture<List<Outcome>> future;
    }

    private final GroupCommitter committer;
    private final SourceGrant sources;
    private final int chunkSize;
    private final Duration commitTimeout;
    private final Duration retryAfter;
    private final HttpServletResponse response;
    private final ArrayDeque<Chunk> inFlight = new ArrayDeque<>();
    private final BatchResults counts;
    private Chunk current = new Chunk();
    private long nextIndex;
    private JsonGenerator out;

    NdjsonBatch(
            GroupCommitter committer,
            RecordCounter counter,
            SourceGrant sources,
            int chunkSize,
            Duration commitTimeout,
            Duration retryAfter,
            HttpServletResponse response) {
        this.committer = committer;
        this.counts = new BatchResults(counter);
        this.sources = sources;
        this.chunkSize = chunkSize;
        this.commitTimeout = commitTimeout;
        this.retryAfter = retryAfter;
        this.response = response;
    }

    void accept(Validation v) {
        current.items.add(new Item(nextIndex++, v));
        if (v instanceof Validation.Valid valid
                && sources.permits(valid.record().sourceId())) {
            current.valid.add(valid.record());
        }
        if (current.items.size() >= chunkSize) {
            submitCurrent();
        }
    }

    /** Submits what is left and writes every result: the body was read to its end. */
    void finish() throws IOException {
        finish(null);
    }

    /**
     * Submits what is left and writes every result. A failure before anything was written is
     * rethrown (the client gets a plain 503/500 problem); after that it ends the body instead, as
     * {@code refusal} does when the body was not read to its end (null when it was).
     */
    void finish(ProblemDetail refusal) throws IOException {
        RuntimeException failure = null;
        try {
            submitCurrent();
            while (!inFlight.isEmpty()) {
                writeOldest();
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        ProblemDetail error = refusal;
        if (failure != null) {
            if (out == null) {
                throw failure;
            }
            error = FailureAdvice.answer(failure, retryAfter).getBody();
            drainAfterFailure();
        }
        start();
        out.writeEndArray();
        if (error != null) {
            out.writeName("error");
            out.writeStartObject();
            out.writeStringProperty("type", String.valueOf(error.getType()));
            out.writeStringProperty("title", error.getTitle());
            out.writeNumberProperty("status", error.getStatus());
            out.writeStringProperty("detail", error.getDetail());
            out.writeEndObject();
        }
        out.writeBooleanProperty("complete", error == null);
        counts.writeCounts(out);
        out.writeEndObject();
        out.close();
    }

    /** Fails fast if a line arrives after a failure was seen: the caller stops reading then. */
    private void submitCurrent() {
        if (current.items.isEmpty()) {
            return;
        }
        Chunk chunk = current;
        current = new Chunk();
        try {
            chunk.future = committer.submit(chunk.valid, Channel.HTTP);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while queueing records", e);
        }
        inFlight.add(chunk);
        while (inFlight.size() > MAX_IN_FLIGHT) {
            writeOldest();
        }
    }

    private void writeOldest() {
        Chunk chunk = inFlight.peek();
        List<Outcome> outcomes = Commits.await(chunk.future, commitTimeout, retryAfter);
        inFlight.poll();
        write(chunk, outcomes);
    }

    /** After a failure: the results of chunks still in flight that did commit are reported too. */
    private void drainAfterFailure() {
        Chunk chunk;
        while ((chunk = inFlight.poll()) != null) {
            List<Outcome> outcomes;
            try {
                outcomes = Commits.await(chunk.future, commitTimeout, retryAfter);
            } catch (RuntimeException e) {
                continue; // not committed; its items are absent from the results, so the client resends them
            }
            write(chunk, outcomes);
        }
    }

    private void write(Chunk chunk, List<Outcome> outcomes) {
        start();
        int next = 0;
        for (Item item : chunk.items) {
            ItemResult r;
            if (!(item.validation() instanceof Validation.Valid v)) {
                r = ItemResult.invalid(item.index(), (Validation.Invalid) item.validation());
            } else if (!sources.permits(v.record().sourceId())) {
                r = ItemResult.forbidden(item.index(), v.record());
            } else {
                r = ItemResult.of(item.index(), v.record().recordId(), outcomes.get(next++));
            }
            counts.count(r);
            BatchResults.write(out, r);
        }
    }

    private void start() {
        if (out != null) {
            return;
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        try {
            out = RecordJson.FACTORY.createGenerator(ObjectWriteContext.empty(), response.getOutputStream());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        out.writeStartObject();
        out.writeName("results");
        out.writeStartArray();
    }
}
