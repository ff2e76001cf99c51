package dev.tally.web;

/** A body that is not the JSON it should be: answered with 400, nothing stored. */
public class MalformedBody extends RuntimeException {
    public MalformedBody(String message) {
        super(message);
    }
}
