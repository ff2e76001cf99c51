package dev.tally.web.api;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import java.util.List;

/**
 * The shapes of the JSON bodies, for the OpenAPI document only: the controllers read and write
 * these with Jackson's streaming API ({@code record.RecordJson}), never through these types.
 * Decimals are {@code number} with format {@code decimal}: written exactly in plain notation
 * ({@code 125.50}, never through a binary float); on input a {@code value} may also be a JSON
 * string holding the same grammar ({@code "125.50"}). Times are ISO-8601 with an offset on input
 * and UTC ({@code Z}) on output. Response schemas are closed ({@code additionalProperties: false})
 * so that a test can tell a field that the document does not name; problems stay open (RFC 9457).
 */
public final class ApiSchemas {

    /**
     * A plain decimal in a string that is always accepted: up to 20 integer digits and 18 decimals
     * (38 significant digits at most, the validator's limit), so that a generator that follows the
     * pattern makes values Tally takes. The validator takes more as well (JSON's exponent form
     * {@code "1E+2"}, leading zeros, 38 significant digits split otherwise); the description says so.
     */
    static final String DECIMAL_PATTERN = "^(0|[1-9][0-9]{0,19})(\\.[0-9]{1,18})?$";

    /** No control character (Java's {@code Character.isISOControl}): what the ids may not hold. */
    static final String NO_CONTROL_CHARACTERS = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$";

    /** No NUL: PostgreSQL cannot store it in text; unit and reference refuse only that. */
    static final String NO_NUL = "^[^\\u0000]*$";

    /** An RFC 3339 date-time with at most microsecond precision (the record rule). */
    static final String TIME_PATTERN =
            "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,6})?([Zz]|[+-][0-9]{2}:[0-9]{2})$";

    private ApiSchemas() {}

    @Schema(
            name = "RecordInput",
            description = "A record as a producer sends it (SPEC §2). Unknown extra fields are ignored; a broken rule"
                    + " makes the record invalid (400 invalid-record, or outcome invalid in a batch).")
    public record RecordInput(
            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    minLength = 1,
                    maxLength = 128,
                    pattern = NO_CONTROL_CHARACTERS,
                    description = "The identity of the record; no control characters.",
                    example = "r-1")
            String recordId,

            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    format = "date-time",
                    maxLength = 64,
                    pattern = TIME_PATTERN,
                    description = "ISO-8601 instant WITH an offset (Z or +02:00); at most microsecond precision;"
                            + " between 0001-01-01 and 9999-12-31.",
                    example = "2026-03-01T12:00:00Z")
            String time,

            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    minLength = 1,
                    maxLength = 128,
                    pattern = NO_CONTROL_CHARACTERS,
                    example = "billing")
            String sourceId,

            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    minLength = 1,
                    maxLength = 128,
                    pattern = NO_CONTROL_CHARACTERS,
                    example = "acct-42")
            String destinationId,

            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    allowableValues = {"positive", "negative"},
                    description = "The sign of the value.",
                    example = "positive")
            String type,

            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    types = {"number", "string"},
                    format = "decimal",
                    minimum = "0",
                    pattern = DECIMAL_PATTERN,
                    maxLength = 100,
                    description = "A decimal ≥ 0, as a JSON number or a JSON string of JSON's number grammar"
                            + " (the pattern shows a form always accepted; an exponent or more integer digits are"
                            + " accepted too); at most 38 significant digits and scale ≤ 18; never read through"
                            + " a binary float (0.1 stays exactly 0.1).",
                    example = "125.50")
            Object value,

            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    minLength = 1,
                    maxLength = 32,
                    pattern = NO_NUL,
                    description = "Any unit (a currency such as SEK); case-sensitive.",
                    example = "SEK")
            String unit,

            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    minLength = 1,
                    maxLength = 256,
                    pattern = NO_NUL,
                    example = "inv-2026-001")
            String reference) {}

    @Schema(
            name = "Record",
            description = "A stored record: time in UTC, value an exact JSON number with the scale it was given.",
            additionalProperties = AdditionalPropertiesValue.FALSE)
    public record StoredRecord(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "r-1")
            String recordId,

            @Schema(requiredMode = RequiredMode.REQUIRED, format = "date-time", example = "2026-03-01T12:00:00Z")
            String time,

            @Schema(requiredMode = RequiredMode.REQUIRED, example = "billing")
            String sourceId,

            @Schema(requiredMode = RequiredMode.REQUIRED, example = "acct-42")
            String destinationId,

            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    allowableValues = {"positive", "negative"},
                    example = "positive")
            String type,

            @Schema(requiredMode = RequiredMode.REQUIRED, format = "decimal", minimum = "0", example = "125.50")
            java.math.BigDecimal value,

            @Schema(requiredMode = RequiredMode.REQUIRED, example = "SEK")
            String unit,

            @Schema(requiredMode = RequiredMode.REQUIRED, example = "inv-2026-001")
            String reference) {}

    @Schema(
            name = "RecordAnswer",
            description = "The outcome of one record: accepted (201) or duplicate (200, same content, no effect).",
            additionalProperties = AdditionalPropertiesValue.FALSE)
    public record RecordAnswer(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "r-1")
            String recordId,

            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    allowableValues = {"accepted", "duplicate"},
                    example = "accepted")
            String outcome) {}

    @Schema(
            name = "FieldError",
            description = "One broken rule, naming its field (or parameter; \"$\" for a whole item).",
            additionalProperties = AdditionalPropertiesValue.FALSE)
    public record FieldError(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "time")
            String field,

            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    example = "must be an ISO-8601 date-time with an offset, such as 2026-03-01T12:00:00Z")
            String message) {}

    @Schema(
            name = "ItemResult",
            description = "The result of one batch item, in input order. errors: the broken rules (invalid), the"
                    + " differing fields (conflict) or the refused source (forbidden).",
            additionalProperties = AdditionalPropertiesValue.FALSE)
    public record ItemResult(
            @Schema(requiredMode = RequiredMode.REQUIRED, minimum = "0", description = "0-based position in the input")
            long index,

            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    types = {"string", "null"},
                    description = "null when the item had no readable recordId",
                    example = "r-2")
            String recordId,

            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    allowableValues = {"accepted", "duplicate", "conflict", "invalid", "forbidden"},
                    example = "accepted")
            String outcome,

            @ArraySchema(schema = @Schema(implementation = FieldError.class))
            List<FieldError> errors) {}

    @Schema(
            name = "StreamError",
            description = "Why an NDJSON batch stopped after results were sent (a problem's first four members): the"
                    + " items without a result were not stored and can be resent.",
            additionalProperties = AdditionalPropertiesValue.FALSE)
    public record StreamError(
            @Schema(requiredMode = RequiredMode.REQUIRED, format = "uri", example = "urn:tally:problem:unavailable")
            String type,

            @Schema(requiredMode = RequiredMode.REQUIRED) String title,
            @Schema(requiredMode = RequiredMode.REQUIRED) int status,
            @Schema(requiredMode = RequiredMode.REQUIRED) String detail) {}

    @Schema(
            name = "BatchAnswer",
            description = "One result per input item, in input order, and the count of each outcome. A JSON-array batch"
                    + " writes the counts first; an NDJSON batch streams the results first and ends with complete"
                    + " (false after a failure mid-stream, then with error) and the counts.",
            additionalProperties = AdditionalPropertiesValue.FALSE)
    public record BatchAnswer(
            @Schema(requiredMode = RequiredMode.REQUIRED, minimum = "0")
            long accepted,

            @Schema(requiredMode = RequiredMode.REQUIRED, minimum = "0")
            long duplicate,

            @Schema(requiredMode = RequiredMode.REQUIRED, minimum = "0")
            long conflict,

            @Schema(requiredMode = RequiredMode.REQUIRED, minimum = "0")
            long invalid,

            @Schema(requiredMode = RequiredMode.REQUIRED, minimum = "0", description = "0 when security is off")
            long forbidden,

            @ArraySchema(
                    arraySchema = @Schema(requiredMode = RequiredMode.REQUIRED),
                    schema = @Schema(implementation = ItemResult.class))
            List<ItemResult> results,

            @Schema(description = "NDJSON only: whether every line was read and committed")
            Boolean complete,

            @Schema(description = "NDJSON only, with complete=false: why the stream stopped")
            StreamError error) {}

    @Schema(
            name = "UnitTotals",
            description = "Totals of one unit (units are never added together): exact decimals, the largest scale of"
                    + " their terms; net = positive - negative.",
            additionalProperties = AdditionalPropertiesValue.FALSE)
    public record UnitTotals(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "SEK")
            String unit,

            @Schema(requiredMode = RequiredMode.REQUIRED, format = "decimal", minimum = "0", example = "125.50")
            java.math.BigDecimal positive,

            @Schema(requiredMode = RequiredMode.REQUIRED, format = "decimal", minimum = "0", example = "20.00")
            java.math.BigDecimal negative,

            @Schema(requiredMode = RequiredMode.REQUIRED, format = "decimal", example = "105.50")
            java.math.BigDecimal net) {}

    @Schema(
            name = "AggregationGroup",
            description = "The matching records of one destinationId: count, totals per unit (by unit), and the"
                    + " records ordered by time, then recordId (absent with includeRecords=false).",
            additionalProperties = AdditionalPropertiesValue.FALSE)
    public record Group(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "acct-42")
            String destinationId,

            @Schema(requiredMode = RequiredMode.REQUIRED, minimum = "1")
            long recordCount,

            @ArraySchema(
                    arraySchema = @Schema(requiredMode = RequiredMode.REQUIRED),
                    schema = @Schema(implementation = UnitTotals.class))
            List<UnitTotals> totals,

            @ArraySchema(schema = @Schema(implementation = StoredRecord.class))
            List<StoredRecord> records) {}

    @Schema(
            name = "Aggregation",
            description = "The filters applied (null: not given) and the groups, ordered by destinationId.",
            additionalProperties = AdditionalPropertiesValue.FALSE)
    public record Aggregation(
            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    types = {"string", "null"},
                    format = "date-time",
                    example = "2026-03-01T00:00:00Z")
            String from,

            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    types = {"string", "null"},
                    format = "date-time")
            String to,

            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    types = {"string", "null"},
                    allowableValues = {"positive", "negative"})
            String type,

            @ArraySchema(
                    arraySchema = @Schema(requiredMode = RequiredMode.REQUIRED),
                    schema = @Schema(implementation = Group.class))
            List<Group> groups) {}

    @Schema(
            name = "PreviousSummary",
            description = "The records of the same (destinationId, reference) processed BEFORE this one (commit order):"
                    + " recordCount 0, null times and no totals for the first.",
            additionalProperties = AdditionalPropertiesValue.FALSE)
    public record Previous(
            @Schema(requiredMode = RequiredMode.REQUIRED, minimum = "0")
            long recordCount,

            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    types = {"string", "null"},
                    format = "date-time")
            String firstTime,

            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    types = {"string", "null"},
                    format = "date-time")
            String lastTime,

            @ArraySchema(
                    arraySchema = @Schema(requiredMode = RequiredMode.REQUIRED),
                    schema = @Schema(implementation = UnitTotals.class))
            List<UnitTotals> totals) {}

    @Schema(name = "NotificationSummary", additionalProperties = AdditionalPropertiesValue.FALSE)
    public record NotificationSummary(
            @Schema(requiredMode = RequiredMode.REQUIRED) String destinationId,
            @Schema(requiredMode = RequiredMode.REQUIRED) String reference,
            @Schema(requiredMode = RequiredMode.REQUIRED) Previous previous) {}

    @Schema(
            name = "Notification",
            description = "record.processed: one per accepted record (SPEC §5); messageId = recordId.",
            additionalProperties = AdditionalPropertiesValue.FALSE)
    public record Notification(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "r-1")
            String messageId,

            @Schema(requiredMode = RequiredMode.REQUIRED, _const = "record.processed")
            String type,

            @Schema(requiredMode = RequiredMode.REQUIRED, minimum = "1", description = "gapless, in commit order")
            long seq,

            @Schema(requiredMode = RequiredMode.REQUIRED, format = "date-time")
            String processedAt,

            @Schema(requiredMode = RequiredMode.REQUIRED) StoredRecord record,
            @Schema(requiredMode = RequiredMode.REQUIRED) NotificationSummary summary) {}

    @Schema(name = "Threshold", additionalProperties = AdditionalPropertiesValue.FALSE)
    public record Threshold(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "SEK")
            String unit,

            @Schema(requiredMode = RequiredMode.REQUIRED, format = "decimal", example = "10000")
            java.math.BigDecimal value) {}

    @Schema(
            name = "Alert",
            description = "record.threshold_exceeded: a record whose value is strictly above its unit's threshold.",
            additionalProperties = AdditionalPropertiesValue.FALSE)
    public record Alert(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "r-3")
            String messageId,

            @Schema(requiredMode = RequiredMode.REQUIRED, _const = "record.threshold_exceeded")
            String type,

            @Schema(requiredMode = RequiredMode.REQUIRED, minimum = "1")
            long seq,

            @Schema(requiredMode = RequiredMode.REQUIRED, format = "date-time")
            String processedAt,

            @Schema(requiredMode = RequiredMode.REQUIRED) StoredRecord record,
            @Schema(requiredMode = RequiredMode.REQUIRED) Threshold threshold) {}

    @Schema(
            name = "NotificationPage",
            description = "Messages after the position asked for, in seq order; pass next back as after to continue"
                    + " (next = after when there is nothing new).",
            additionalProperties = AdditionalPropertiesValue.FALSE)
    public record NotificationPage(
            @ArraySchema(
                    arraySchema = @Schema(requiredMode = RequiredMode.REQUIRED),
                    schema = @Schema(implementation = Notification.class))
            List<Notification> messages,

            @Schema(requiredMode = RequiredMode.REQUIRED, minimum = "0")
            long next) {}

    @Schema(
            name = "AlertPage",
            description = "As NotificationPage, for alerts.",
            additionalProperties = AdditionalPropertiesValue.FALSE)
    public record AlertPage(
            @ArraySchema(
                    arraySchema = @Schema(requiredMode = RequiredMode.REQUIRED),
                    schema = @Schema(implementation = Alert.class))
            List<Alert> messages,

            @Schema(requiredMode = RequiredMode.REQUIRED, minimum = "0")
            long next) {}

    @Schema(
            name = "Problem",
            description = "An RFC 9457 problem (application/problem+json). type is one of the URIs listed (see"
                    + " docs/errors.md); errors[] names broken rules (400, 403 forbidden-source, 409);"
                    + " a 503 carries Retry-After.")
    public record Problem(
            @Schema(requiredMode = RequiredMode.REQUIRED, format = "uri", example = "urn:tally:problem:invalid-record")
            String type,

            @Schema(requiredMode = RequiredMode.REQUIRED, example = "Invalid record")
            String title,

            @Schema(requiredMode = RequiredMode.REQUIRED, minimum = "400", maximum = "599", example = "400")
            int status,

            @Schema(requiredMode = RequiredMode.REQUIRED, description = "What happened, for a person")
            String detail,

            @Schema(format = "uri-reference", description = "The request's path, when known")
            String instance,

            @ArraySchema(schema = @Schema(implementation = FieldError.class))
            List<FieldError> errors,

            @Schema(description = "409 and 403 forbidden-source: the record concerned")
            String recordId,

            @ArraySchema(
                    arraySchema = @Schema(description = "409: the fields that differ from the stored record"),
                    schema = @Schema(example = "value"))
            List<String> differingFields) {}
}
