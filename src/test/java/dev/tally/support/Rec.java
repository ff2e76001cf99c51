package dev.tally.support;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The tests' one record fixture: a record as the client sends it, every field as its JSON text, so
 * a test can vary one spelling (a value as a number or a string, a time with another offset). Also
 * gives the typed values ({@link #value()}, {@link #instant()}, {@link #signedValue()}) that the
 * tests' independent models ({@link Model}, {@link SummaryModel}) compute with.
 *
 * @param valueJson the value's JSON text as sent: {@code "\"10.50\""} (a string) or {@code "10.5"} (a number)
 */
public record Rec(
        String recordId,
        String time,
        String sourceId,
        String destinationId,
        String type,
        String valueJson,
        String unit,
        String reference) {

    public static Rec rec(String recordId) {
        return new Rec(recordId, "2026-03-01T12:00:00Z", "billing", "acct-42", "positive", "\"10.00\"", "SEK", "inv-1");
    }

    public Rec id(String id) {
        return new Rec(id, time, sourceId, destinationId, type, valueJson, unit, reference);
    }

    public Rec time(String t) {
        return new Rec(recordId, t, sourceId, destinationId, type, valueJson, unit, reference);
    }

    /** The time as {@link Instant#toString()} writes it: UTC, {@code Z}. */
    public Rec time(Instant t) {
        return time(t.toString());
    }

    public Rec source(String s) {
        return new Rec(recordId, time, s, destinationId, type, valueJson, unit, reference);
    }

    public Rec dest(String d) {
        return new Rec(recordId, time, sourceId, d, type, valueJson, unit, reference);
    }

    public Rec type(String t) {
        return new Rec(recordId, time, sourceId, destinationId, t, valueJson, unit, reference);
    }

    /** The value as a JSON string, e.g. {@code value("10.50")} sends {@code "10.50"}. */
    public Rec value(String decimal) {
        return valueJson(quote(decimal));
    }

    /** The value as a JSON string of its plain digits, scale kept: {@code 12.30} sends {@code "12.30"}. */
    public Rec value(BigDecimal decimal) {
        return value(decimal.toPlainString());
    }

    /** The value as a JSON number, e.g. {@code number("0.1")} sends {@code 0.1}. */
    public Rec number(String decimal) {
        return valueJson(decimal);
    }

    public Rec valueJson(String json) {
        return new Rec(recordId, time, sourceId, destinationId, type, json, unit, reference);
    }

    public Rec unit(String u) {
        return new Rec(recordId, time, sourceId, destinationId, type, valueJson, u, reference);
    }

    public Rec ref(String r) {
        return new Rec(recordId, time, sourceId, destinationId, type, valueJson, unit, r);
    }

    /** The value as the exact decimal the client meant. */
    public BigDecimal value() {
        String text = valueJson.startsWith("\"") ? valueJson.substring(1, valueJson.length() - 1) : valueJson;
        return new BigDecimal(text);
    }

    public BigDecimal signedValue() {
        return "negative".equals(type) ? value().negate() : value();
    }

    public Instant instant() {
        return OffsetDateTime.parse(time).toInstant();
    }

    /** The record's JSON object. */
    public String json() {
        return json(fields());
    }

    /**
     * The same content spelled differently: the value a JSON number with one more zero, the time at
     * {@code +02:00}. Tally must take it as a duplicate of {@link #json()}.
     */
    public String otherSpelling() {
        String v = value().scale() > 0 ? value().toPlainString() + "0" : value().toPlainString() + ".0";
        return time(instant().atOffset(ZoneOffset.ofHours(2)).toString())
                .number(v)
                .json();
    }

    /** The JSON with one field's JSON text replaced (or added, for an unknown field). */
    public String jsonWith(String field, String rawJson) {
        Map<String, String> f = fields();
        f.put(field, rawJson);
        return json(f);
    }

    public String jsonWithout(String field) {
        Map<String, String> f = fields();
        f.remove(field);
        return json(f);
    }

    public static String array(List<Rec> records) {
        return records.stream().map(Rec::json).collect(Collectors.joining(",", "[", "]"));
    }

    public static String ndjson(List<Rec> records) {
        return records.stream().map(Rec::json).collect(Collectors.joining("\n", "", "\n"));
    }

    /** A JSON string literal. */
    public static String quote(String s) {
        return Api.JSON.writeValueAsString(s);
    }

    private Map<String, String> fields() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("recordId", quote(recordId));
        f.put("time", quote(time));
        f.put("sourceId", quote(sourceId));
        f.put("destinationId", quote(destinationId));
        f.put("type", quote(type));
        f.put("value", valueJson);
        f.put("unit", quote(unit));
        f.put("reference", quote(reference));
        return f;
    }

    private static String json(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> quote(e.getKey()) + ":" + e.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }
}
