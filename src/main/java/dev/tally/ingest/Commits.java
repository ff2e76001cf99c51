package dev.tally.ingest;

import dev.tally.processing.Outcome;
import dev.tally.processing.Overloaded;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting for a submission's commit, with a deadline: no request thread waits forever. */
final class Commits {

    private Commits() {}

    /**
     * The outcomes once committed. A failure is rethrown as it is (the advice classifies it); a
     * commit not confirmed within {@code timeout} is {@link Overloaded}: the outcome is then
     * unknown, and resending is safe because processing is idempotent.
     */
    static List<Outcome> await(CompletableFuture<List<Outcome>> future, Duration timeout, Duration retryAfter) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Overloaded(
                    "Interrupted while waiting for the commit; the outcome is unknown, resending is safe", retryAfter);
        } catch (TimeoutException e) {
            throw new Overloaded(
                    "The commit was not confirmed within " + timeout.toSeconds()
                            + " s; the outcome is unknown, resending is safe",
                    retryAfter);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("Processing failed", e.getCause());
        }
    }
}
