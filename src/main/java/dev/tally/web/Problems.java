package dev.tally.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * RFC 9457 problem responses, and what a client should do about a failure: fix the request (4xx),
 * retry later (503 with {@code Retry-After}), or report a bug (500). Which failures are retryable
 * is not decided here but by {@code processing.Failures}, shared with the Kafka listener (see
 * {@code processing.FailureAdvice}). Used by every controller (see {@link ProblemAdvice}).
 */
public final class Problems {

    private static final Logger log = LoggerFactory.getLogger(Problems.class);

    private Problems() {}

    /** A problem of {@code type}: its URI, status and title; {@code detail} says what happened. */
    public static ProblemDetail problem(ProblemType type, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(type.status()), detail);
        p.setType(type.uri());
        p.setTitle(type.title());
        return p;
    }

    /** 400 naming every broken rule: {@code errors: [{"field","message"}]}. */
    public static ProblemDetail invalid(ProblemType type, List<InvalidField> errors) {
        StringBuilder detail = new StringBuilder();
        for (InvalidField e : errors) {
            detail.append(detail.isEmpty() ? "" : "; ")
                    .append(e.field())
                    .append(' ')
                    .append(e.message());
        }
        ProblemDetail p = problem(type, detail.toString());
        p.setProperty(
                "errors",
                errors.stream()
                        .map(e -> Map.of("field", e.field(), "message", e.message()))
                        .toList());
        return p;
    }

    /** 500 for a bug, after logging {@code t}: the client can only report it. */
    public static ResponseEntity<ProblemDetail> internalError(Throwable t) {
        log.error("Unexpected failure while processing a request", t);
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
                .body(problem(ProblemType.INTERNAL_ERROR, "An unexpected error occurred; it has been logged."));
    }

    /** 503 {@link ProblemType#UNAVAILABLE} (the database) with {@code Retry-After}. */
    public static ResponseEntity<ProblemDetail> unavailable(String detail, Duration retryAfter) {
        return retryLater(ProblemType.UNAVAILABLE, detail, retryAfter);
    }

    /** 503 {@link ProblemType#OVERLOADED} (the write queue, a commit not confirmed in time) with {@code Retry-After}. */
    public static ResponseEntity<ProblemDetail> overloaded(String detail, Duration retryAfter) {
        return retryLater(ProblemType.OVERLOADED, detail, retryAfter);
    }

    private static ResponseEntity<ProblemDetail> retryLater(ProblemType type, String detail, Duration retryAfter) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
                .body(problem(type, detail));
    }
}
