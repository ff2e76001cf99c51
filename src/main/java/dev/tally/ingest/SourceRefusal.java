package dev.tally.ingest;

import dev.tally.record.FieldError;
import dev.tally.record.TallyRecord;

/** The error that names the field of a record whose sourceId the caller may not write. */
final class SourceRefusal {

    static final String FIELD = "sourceId";

    private SourceRefusal() {}

    /** HTTP: the token's {@code tally_sources} claim does not list the record's source. */
    static FieldError of(TallyRecord record) {
        return new FieldError(
                FIELD, "this token may not write records of source '" + record.sourceId() + "' (claim tally_sources)");
    }

    /** Kafka: the topic's {@code tally.kafka.topics.sources.<topic>} does not list it. */
    static FieldError onTopic(TallyRecord record, String topic) {
        return new FieldError(
                FIELD,
                "records of source '" + record.sourceId() + "' may not arrive on topic '" + topic
                        + "' (tally.kafka.topics.sources)");
    }
}
