package dev.tally.processing;

import java.util.List;

/**
 * What processing did with one valid record (SPEC §3). Expected results, not exceptions.
 *
 * @param differingFields for a conflict, the fields whose content differs from the stored record
 */
public record Outcome(Kind kind, List<String> differingFields) {

    public enum Kind {
        ACCEPTED("accepted"),
        DUPLICATE("duplicate"),
        CONFLICT("conflict");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    public static final Outcome ACCEPTED = new Outcome(Kind.ACCEPTED, List.of());
    public static final Outcome DUPLICATE = new Outcome(Kind.DUPLICATE, List.of());

    public Outcome {
        differingFields = List.copyOf(differingFields);
        if ((kind == Kind.CONFLICT) == differingFields.isEmpty()) {
            throw new IllegalArgumentException("a conflict, and only a conflict, names differing fields");
        }
    }

    public static Outcome conflict(List<String> differingFields) {
        return new Outcome(Kind.CONFLICT, differingFields);
    }
}
