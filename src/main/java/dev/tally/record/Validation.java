package dev.tally.record;

import java.util.List;

/** The result of validating one raw record: a valid {@link TallyRecord} or the rules it broke. */
public sealed interface Validation {

    record Valid(TallyRecord record) implements Validation {}

    /** @param recordId the recordId if one could be read, else {@code null} */
    record Invalid(String recordId, List<FieldError> errors) implements Validation {
        public Invalid {
            if (errors.isEmpty()) {
                throw new IllegalArgumentException("an invalid record has at least one error");
            }
            errors = List.copyOf(errors);
        }
    }
}
