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
record ItemResult(long index, String recordId, String outcome, List<FieldError> errors) {

    static final String INVALID = "invalid";
    static final String FORBIDDEN = "forbidden";

    static ItemResult invalid(long index, Validation.Invalid invalid) {
        return new ItemResult(index, invalid.recordId(), INVALID, invalid.errors());
    }

    static ItemResult forbidden(long index, TallyRecord record) {
        return new ItemResult(index, record.recordId(), FORBIDDEN, List.of(SourceRefusal.of(record)));
    }

    static ItemResult of(long index, String recordId, Outcome outcome) {
        List<FieldError> errors = outcome.differingFields().stream()
                .map(f -> new FieldError(f, "differs from the stored record with this recordId"))
                .toList();
        return new ItemResult(index, recordId, outcome.kind().wire(), errors);
    }
}
