package dev.tally.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.record.Validation;
import dev.tally.support.EventSchemas;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * docs/schemas/record.schema.json says what Tally accepts on an input topic: for each message,
 * the schema's verdict and the listener's own reading ({@link RecordReader#readMessage}) agree,
 * except for the rules the schema's description names as beyond JSON Schema (digits, scale and
 * sub-microsecond precision), where the schema accepts and Tally refuses.
 */
class RecordSchemaTest {

    private static final String BASE =
            "{\"recordId\":\"r-1\",\"time\":\"2026-03-01T12:00:00Z\",\"sourceId\":\"billing\","
                    + "\"destinationId\":\"acct-42\",\"type\":\"positive\",\"value\":\"12500.50\",\"unit\":\"SEK\","
                    + "\"reference\":\"inv-1\"}";

    @ParameterizedTest(name = "{0} = {1}: schema {2}, Tally {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                // field | JSON value (NONE = field left out) | schema accepts | Tally accepts
                "value | \"12500.50\" | true | true",
                "value | 12500.50 | true | true",
                "value | 0 | true | true",
                "value | 0.1 | true | true",
                "value | 1E+3 | true | true",
                "value | \"1e3\" | true | true",
                "value | \"007.50\" | true | true",
                "value | -5 | false | false",
                "value | \"-5\" | false | false",
                "value | \"12,50\" | false | false",
                "value | \"\" | false | false",
                "value | true | false | false",
                "value | null | false | false",
                "value | NONE | false | false",
                "value | 123456789012345678901234567890123456789 | true | false", // 39 digits
                "value | 0.1234567890123456789 | true | false", // scale 19
                "time | \"2026-03-01T14:00:00+02:00\" | true | true",
                "time | \"2026-03-01T12:00Z\" | true | true",
                "time | \"2026-03-01T12:00:00.123456Z\" | true | true",
                "time | \"2026-03-01T12:00:00.123456789Z\" | true | false", // below a microsecond
                "time | \"2026-03-01T12:00:00\" | false | false",
                "time | \"2026-03-01 12:00:00Z\" | false | false",
                "time | 1772366400 | false | false",
                "type | \"negative\" | true | true",
                "type | \"credit\" | false | false",
                "type | \"Positive\" | false | false",
                "recordId | \"\" | false | false",
                "recordId | \"a\\u0007b\" | false | false",
                "recordId | 17 | false | false",
                "recordId | NONE | false | false",
                "sourceId | \"x\\u009f\" | false | false",
                "destinationId | \"acct-\\u00e5\" | true | true",
                "unit | \"µg/L\" | true | true",
                "unit | \"123456789012345678901234567890123\" | false | false", // 33 characters
                "unit | \"\" | false | false",
                "reference | \"a\\u0000b\" | false | false",
                "reference | \"tab\\tis text\" | true | true",
                "extra | {\"nested\":[1,2]} | true | true",
            })
    void theSchemaAndTallyAgree(String field, String json, boolean schemaAccepts, boolean tallyAccepts) {
        String message = with(field, json);
        assertThat(EventSchemas.errors("record.schema.json", message))
                .as("schema on %s", message)
                .matches(errors -> errors.isEmpty() == schemaAccepts, schemaAccepts ? "accepts" : "rejects");
        Validation read = RecordReader.readMessage(message.getBytes(StandardCharsets.UTF_8));
        assertThat(read)
                .as("Tally on %s", message)
                .isInstanceOf(tallyAccepts ? Validation.Valid.class : Validation.Invalid.class);
    }

    /** {@link #BASE} with {@code field} set to the JSON {@code json}, or left out for {@code NONE}. */
    private static String with(String field, String json) {
        tools.jackson.databind.node.ObjectNode node =
                (tools.jackson.databind.node.ObjectNode) dev.tally.support.Api.JSON.readTree(BASE);
        if (json.equals("NONE")) {
            node.remove(field);
        } else {
            node.set(field, dev.tally.support.Api.JSON.readTree(json));
        }
        return dev.tally.support.Api.JSON.writeValueAsString(node);
    }
}
