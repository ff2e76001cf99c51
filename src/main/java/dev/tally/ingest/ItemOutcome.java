package dev.tally.ingest;

import dev.tally.processing.Outcome;

/**
 * What became of one item of a batch, as its {@code outcome} names it on the wire: a processing
 * {@link Outcome.Kind}, or one of the edge's two refusals, which never reach processing. The
 * declaration order is the order of the batch's counts.
 */
enum ItemOutcome {
    ACCEPTED(Outcome.Kind.ACCEPTED.wire()),
    DUPLICATE(Outcome.Kind.DUPLICATE.wire()),
    CONFLICT(Outcome.Kind.CONFLICT.wire()),
    /** A broken rule (SPEC §2); nothing stored. */
    INVALID("invalid"),
    /** The caller may not write the item's sourceId; nothing stored. */
    FORBIDDEN("forbidden");

    private final String wire;

    ItemOutcome(String wire) {
        this.wire = wire;
    }

    String wire() {
        return wire;
    }

    static ItemOutcome of(Outcome.Kind kind) {
        return switch (kind) {
            case ACCEPTED -> ACCEPTED;
            case DUPLICATE -> DUPLICATE;
            case CONFLICT -> CONFLICT;
        };
    }
}
