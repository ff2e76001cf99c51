package dev.tally.ingest;

import dev.tally.processing.Outcome;
import dev.tally.record.FieldError;
import dev.tally.record.TallyRecord;
import dev.tally.record.Validation;
import java.util.List;

/**
 * The result of one item of a batch: its processing outcome, or the edge's refusal: {@code invalid}
 * (a broken rule) or {@code forbidden} (the caller may not write its sourceId; nothing stored).
 * For a conflict the errors name the fields that differ from the stored record.
 */
record ItemResult(long index, String recordId, ItemOutcome outcome, List<FieldError> errors) {

    static ItemResult invalid(long index, Validation.Invalid invalid) {
        return new ItemResult(index, invalid.recordId(), ItemOutcome.INVALID, invalid.errors());
    }

    static ItemResult forbidden(long index, TallyRecord record) {
        return new ItemResult(index, record.recordId(), ItemOutcome.FORBIDDEN, List.of(SourceRefusal.of(record)));
    }

    static ItemResult of(long index, String recordId, Outcome outcome) {
        return new ItemResult(index, recordId, ItemOutcome.of(outcome.kind()), conflictErrors(outcome));
    }

    /**
     * One error per field in which a conflicting record differs from the stored one (none for
     * another outcome): the same words in a batch's results, a single record's problem and a
     * conflict's dead letter.
     */
    static List<FieldError> conflictErrors(Outcome outcome) {
        return outcome.differingFields().stream()
                .map(f -> new FieldError(f, "differs from the stored record with this recordId"))
                .toList();
    }
}
