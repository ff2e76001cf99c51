package dev.tally.web;

/** A request body or one NDJSON line is larger than its configured limit: answered with 413. */
public class BodyTooLarge extends RuntimeException {
    public BodyTooLarge(String message) {
        super(message);
    }
}
