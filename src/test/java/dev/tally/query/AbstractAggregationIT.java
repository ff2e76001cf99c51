package dev.tally.query;

import static dev.tally.support.Rec.rec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Api;
import dev.tally.support.IntegrationTestSupport;
import dev.tally.support.Rec;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /v1/aggregations} (SPEC §4): every filter alone and combined, {@code from} inclusive
 * and {@code to} exclusive at exact boundaries, offsets other than Z, ordering, exact totals per
 * unit. Expected answers come from the test's own filter-and-sum over {@link #DATA}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class AbstractAggregationIT extends IntegrationTestSupport {

    static final Instant FROM = Instant.parse("2026-03-01T12:00:00Z");
    static final Instant TO = Instant.parse("2026-03-03T00:00:00Z");

    static final String BIG = "99999999999999999999.999999999999999999"; // 38 significant digits

    /** Times are chosen ON and one microsecond off the boundaries; ties in time are ordered by recordId. */
    static final List<Rec> DATA = List.of(
            rec("g-01")
                    .dest("acct-1")
                    .source("billing")
                    .number("0.1")
                    .unit("SEK")
                    .ref("inv-1")
                    .time("2026-03-01T10:00:00Z"),
            rec("g-02")
                    .dest("acct-1")
                    .source("billing")
                    .value("0.2")
                    .unit("SEK")
                    .ref("inv-1")
                    .time("2026-03-01T12:00:00Z"),
            rec("g-03")
                    .dest("acct-1")
                    .source("payments")
                    .type("negative")
                    .value("0.30")
                    .unit("SEK")
                    .ref("inv-2")
                    .time("2026-03-01T13:00:00+01:00"),
            rec("g-04")
                    .dest("acct-1")
                    .source("payments")
                    .value("100.005")
                    .unit("SEK")
                    .ref("inv-2")
                    .time("2026-03-02T00:00:00Z"),
            rec("g-05")
                    .dest("acct-1")
                    .source("billing")
                    .number("7")
                    .unit("EUR")
                    .ref("inv-1")
                    .time("2026-03-02T02:00:00+02:00"),
            rec("g-06")
                    .dest("acct-2")
                    .source("billing")
                    .type("negative")
                    .value("12.50")
                    .unit("SEK")
                    .ref("inv-1")
                    .time("2026-03-01T11:59:59.999999Z"),
            rec("g-07")
                    .dest("acct-2")
                    .source("payments")
                    .value("3")
                    .unit("sek")
                    .ref("inv-3")
                    .time("2026-03-03T00:00:00Z"),
            rec("g-08")
                    .dest("acct-2")
                    .source("billing")
                    .value("2.999999")
                    .unit("SEK")
                    .ref("inv-3")
                    .time("2026-03-02T23:59:59.999999Z"),
            rec("g-09")
                    .dest("ACCT-1")
                    .source("billing")
                    .value("1")
                    .unit("SEK")
                    .ref("inv-1")
                    .time("2026-03-02T00:00:00Z"),
            rec("g-10")
                    .dest("acct-10")
                    .source("billing")
                    .type("negative")
                    .value("5.5")
                    .unit("EUR")
                    .ref("inv-1")
                    .time("2026-03-04T00:00:00Z"),
            rec("g-11")
                    .dest("acct-1")
                    .source("billing")
                    .type("negative")
                    .value("0.05")
                    .unit("EUR")
                    .ref("inv-1")
                    .time("2026-03-01T12:00:00Z"),
            rec("g-12")
                    .dest("acct-2")
                    .source("payments")
                    .number(BIG)
                    .unit("SEK")
                    .ref("inv-1")
                    .time("2026-03-02T06:00:00Z"),
            rec("g-13")
                    .dest("acct-2")
                    .source("payments")
                    .value("0.000000000000000001")
                    .unit("SEK")
                    .ref("inv-1")
                    .time("2026-03-02T06:00:00Z"));

    @BeforeEach
    void storeTheData() {
        // posted out of order, so that ordering cannot come from insertion order
        List<Rec> scrambled = new ArrayList<>(DATA);
        java.util.Collections.reverse(scrambled);
        scrambled.add(0, scrambled.remove(6));
        assertThat(outcomes(postArray(scrambled))).containsOnly("accepted");
    }

    static Stream<Arguments> filters() {
        Predicate<Rec> all = r -> true;
        Predicate<Rec> fromF = r -> !r.instant().isBefore(FROM);
        Predicate<Rec> toT = r -> r.instant().isBefore(TO);
        return Stream.of(
                Arguments.of("", all),
                Arguments.of("from=2026-03-01T12:00:00Z", fromF),
                Arguments.of("to=2026-03-03T00:00:00Z", toT),
                Arguments.of("from=2026-03-01T12:00:00Z&to=2026-03-03T00:00:00Z", fromF.and(toT)),
                Arguments.of("from=2026-03-01T14:00:00+02:00", fromF),
                Arguments.of("to=2026-03-02T19:00:00-05:00", toT),
                Arguments.of("from=2026-03-01T11:59:59.999999Z&to=2026-03-01T12:00:00.000001Z", (Predicate<Rec>)
                        r -> List.of("g-02", "g-03", "g-06", "g-11").contains(r.recordId())),
                Arguments.of("from=2026-03-02T23:59:59.999999Z", (Predicate<Rec>)
                        r -> !r.instant().isBefore(Instant.parse("2026-03-02T23:59:59.999999Z"))),
                Arguments.of("type=positive", (Predicate<Rec>) r -> r.type().equals("positive")),
                Arguments.of("type=negative", (Predicate<Rec>) r -> r.type().equals("negative")),
                Arguments.of("destinationId=acct-1", (Predicate<Rec>)
                        r -> r.destinationId().equals("acct-1")),
                Arguments.of(
                        "sourceId=payments", (Predicate<Rec>) r -> r.sourceId().equals("payments")),
                Arguments.of(
                        "reference=inv-1", (Predicate<Rec>) r -> r.reference().equals("inv-1")),
                Arguments.of("unit=SEK", (Predicate<Rec>) r -> r.unit().equals("SEK")),
                Arguments.of("unit=sek", (Predicate<Rec>) r -> r.unit().equals("sek")),
                Arguments.of(
                        "from=2026-03-01T12:00:00Z&to=2026-03-03T00:00:00Z&type=positive&destinationId=acct-2&unit=SEK",
                        fromF.and(toT)
                                .and(r -> r.type().equals("positive")
                                        && r.destinationId().equals("acct-2")
                                        && r.unit().equals("SEK"))),
                Arguments.of("sourceId=billing&reference=inv-1&type=negative", (Predicate<Rec>)
                        r -> r.sourceId().equals("billing")
                                && r.reference().equals("inv-1")
                                && r.type().equals("negative")),
                Arguments.of(
                        "to=2026-03-02T00:00:00Z&sourceId=payments&reference=inv-2&unit=SEK&destinationId=acct-1",
                        (Predicate<Rec>) r -> r.instant().isBefore(Instant.parse("2026-03-02T00:00:00Z"))
                                && r.sourceId().equals("payments")
                                && r.reference().equals("inv-2")
                                && r.unit().equals("SEK")
                                && r.destinationId().equals("acct-1")),
                Arguments.of("destinationId=nobody", (Predicate<Rec>) r -> false),
                Arguments.of("from=2026-03-05T00:00:00Z", (Predicate<Rec>) r -> false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filters")
    final void filtersMatchTheModel(String query, Predicate<Rec> matches) {
        assertAggregation(query, matches, true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filters")
    final void withoutRecordsTheGroupsAndTotalsAreTheSame(String query, Predicate<Rec> matches) {
        assertAggregation(query.isEmpty() ? "includeRecords=false" : query + "&includeRecords=false", matches, false);
    }

    @Test
    final void totalsAreExactPerUnitAndGroupsAndRecordsAreOrdered() {
        Api.Response r = api.get("/v1/aggregations");

        assertThat(r.status()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.get("from").isNull()).isTrue();
        assertThat(body.get("to").isNull()).isTrue();
        assertThat(body.get("type").isNull()).isTrue();
        JsonNode groups = body.get("groups");
        assertThat(groups)
                .extracting(g -> g.get("destinationId").asString())
                .containsExactly("ACCT-1", "acct-1", "acct-10", "acct-2"); // code-point order

        JsonNode acct1 = groups.get(1);
        assertThat(acct1.get("recordCount").asLong()).isEqualTo(6);
        assertThat(acct1.get("records"))
                .extracting(x -> x.get("recordId").asString())
                .containsExactly("g-01", "g-02", "g-03", "g-11", "g-04", "g-05");
        assertThat(totals(acct1)).containsOnlyKeys("SEK", "EUR");
        assertThat(totals(acct1).get("SEK")).containsExactly(dec("100.305"), dec("0.30"), dec("100.005"));
        assertThat(totals(acct1).get("EUR")).containsExactly(dec("7"), dec("0.05"), dec("6.95"));

        JsonNode acct2 = groups.get(3);
        assertThat(acct2.get("records"))
                .extracting(x -> x.get("recordId").asString())
                .containsExactly("g-06", "g-12", "g-13", "g-08", "g-07");
        assertThat(totals(acct2).get("SEK"))
                .containsExactly(
                        dec("100000000000000000002.999999000000000000"),
                        dec("12.50"),
                        dec("99999999999999999990.499999000000000000"));
        assertThat(totals(acct2).get("sek")).containsExactly(dec("3"), dec("0"), dec("3"));

        JsonNode acct10 = groups.get(2);
        assertThat(totals(acct10).get("EUR")).containsExactly(dec("0"), dec("5.5"), dec("-5.5"));

        // records are written exactly: scale kept, times in UTC
        JsonNode g03 = acct1.get("records").get(2);
        assertThat(g03.get("time").asString()).isEqualTo("2026-03-01T12:00:00Z");
        assertThat(g03.get("value").decimalValue()).isEqualTo(dec("0.30"));
        assertThat(g03.get("type").asString()).isEqualTo("negative");
        assertThat(g03.get("sourceId").asString()).isEqualTo("payments");
        assertThat(g03.get("reference").asString()).isEqualTo("inv-2");
        assertThat(r.body()).contains("\"value\":" + BIG + ",").contains("\"value\":0.000000000000000001,");
    }

    @Test
    final void totalsBeyondThirtyEightDigitsStayExact() {
        String nines = "99999999999999999999999999999999999999"; // the largest 38-digit value
        List<Rec> big = List.of(
                rec("z-1").dest("zz-big").number(nines),
                rec("z-2").dest("zz-big").value(nines),
                rec("z-3").dest("zz-big").number(nines),
                rec("z-4").dest("zz-big").value("0.000000000000000001"),
                rec("z-5").dest("zz-big").type("negative").number(nines));
        assertThat(outcomes(postArray(big))).containsOnly("accepted");

        JsonNode group = api.get("/v1/aggregations?destinationId=zz-big&includeRecords=false")
                .json()
                .get("groups")
                .get(0);

        assertThat(group.get("recordCount").asLong()).isEqualTo(5);
        assertThat(totals(group).get("SEK"))
                .containsExactly(
                        dec("299999999999999999999999999999999999997.000000000000000001"),
                        dec(nines),
                        dec("199999999999999999999999999999999999998.000000000000000001"));
    }

    /**
     * Texts with quotes, backslashes, control and non-ASCII characters come back as sent and work
     * as filters (PostgreSQL inlines them into a COPY statement); times at the accepted extremes
     * and with millisecond fractions are written as Instant.toString does.
     */
    @Test
    final void textsAndTimesAreWrittenExactlyAndFiltersTakeAnyText() {
        String dest = "o'hara \"\\ ; DROP TABLE records; -- ünï 😀"; // identifiers take no control characters
        String unit = "k€'\\\t";
        String ref = "ref\n'\"";
        List<Rec> odd = List.of(
                rec("x-1")
                        .dest(dest)
                        .source("s'\\")
                        .unit(unit)
                        .ref(ref)
                        .value("1.10")
                        .time("0001-01-01T00:00:00Z"),
                rec("x-2")
                        .dest(dest)
                        .source("s'\\")
                        .unit(unit)
                        .ref(ref)
                        .type("negative")
                        .value("0.005")
                        .time("9999-12-31T23:59:59.999999Z"),
                rec("x-3")
                        .dest(dest)
                        .source("s'\\")
                        .unit(unit)
                        .ref(ref)
                        .value("2")
                        .time("2026-03-01T12:00:00.12+01:00"));
        assertThat(outcomes(postArray(odd))).containsOnly("accepted");

        for (String include : List.of("true", "false")) {
            JsonNode groups = api.get("/v1/aggregations?destinationId=" + enc(dest) + "&unit=" + enc(unit)
                            + "&reference=" + enc(ref) + "&sourceId=" + enc("s'\\") + "&includeRecords=" + include)
                    .json()
                    .get("groups");
            assertThat(groups).as(include).hasSize(1);
            assertThat(groups.get(0).get("destinationId").asString()).isEqualTo(dest);
            assertThat(groups.get(0).get("recordCount").asLong()).isEqualTo(3);
            assertThat(totals(groups.get(0)).get(unit)).containsExactly(dec("3.10"), dec("0.005"), dec("3.095"));
        }
        JsonNode records = api.get("/v1/aggregations?destinationId=" + enc(dest))
                .json()
                .get("groups")
                .get(0)
                .get("records");
        assertThat(records).extracting(x -> x.get("recordId").asString()).containsExactly("x-1", "x-3", "x-2");
        assertThat(records)
                .extracting(x -> x.get("time").asString())
                .containsExactly("0001-01-01T00:00:00Z", "2026-03-01T11:00:00.120Z", "9999-12-31T23:59:59.999999Z");
        assertThat(records)
                .extracting(x -> x.get("value").decimalValue())
                .containsExactly(dec("1.10"), dec("2"), dec("0.005"));
        for (JsonNode x : records) {
            assertThat(List.of(
                            x.get("destinationId").asString(),
                            x.get("sourceId").asString(),
                            x.get("unit").asString(),
                            x.get("reference").asString()))
                    .containsExactly(dest, "s'\\", unit, ref);
        }
        assertThat(api.get("/v1/aggregations?destinationId=" + enc("o'hara"))
                        .json()
                        .get("groups"))
                .isEmpty();
    }

    @Test
    final void theQueryIsEchoedInUtc() {
        JsonNode body = api.get("/v1/aggregations?from=" + enc("2026-03-01T14:00:00+02:00") + "&to="
                        + enc("2026-03-02T19:00:00-05:00") + "&type=negative")
                .json();

        assertThat(body.get("from").asString()).isEqualTo("2026-03-01T12:00:00Z");
        assertThat(body.get("to").asString()).isEqualTo("2026-03-03T00:00:00Z");
        assertThat(body.get("type").asString()).isEqualTo("negative");
    }

    static Stream<Arguments> badParameters() {
        return Stream.of(
                Arguments.of("from=yesterday", "from"),
                Arguments.of("from=2026-03-01T12:00:00", "from"), // no offset
                Arguments.of("to=2026-03-01T12:00:00", "to"),
                Arguments.of("from=2026-03-01", "from"),
                Arguments.of("to=1772366400", "to"),
                Arguments.of("from=2026-03-01T14:00:00+02:00", "from"), // '+' NOT encoded: a space
                Arguments.of("from=2026-03-01T12:00:00.0000001Z", "from"), // below microseconds
                Arguments.of("from=2026-03-01T12:00:00Z&to=2026-03-01T12:00:00Z", "from"), // from = to
                Arguments.of("from=2026-03-01T12:00:00Z&to=2026-03-01T14:00:00%2B02:00", "from"), // equal instants
                Arguments.of("from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z", "from"), // from > to
                Arguments.of("type=Positive", "type"),
                Arguments.of("type=credit", "type"),
                Arguments.of("type=", "type"),
                Arguments.of("includeRecords=yes", "includeRecords"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badParameters")
    final void badParametersAreA400NamingTheParameter(String rawQuery, String parameter) {
        Api.Response r = api.get("/v1/aggregations?" + rawQuery);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(errorFields(r.json())).contains(parameter);
    }

    // ---- the model ---------------------------------------------------------------------------

    private void assertAggregation(String query, Predicate<Rec> matches, boolean includeRecords) {
        String encoded = query.isEmpty()
                ? ""
                : "?"
                        + Stream.of(query.split("&"))
                                .map(p -> p.substring(0, p.indexOf('=') + 1) + enc(p.substring(p.indexOf('=') + 1)))
                                .collect(Collectors.joining("&"));
        Api.Response r = api.get("/v1/aggregations" + encoded);
        assertThat(r.status()).as("%s: %s", query, r.body()).isEqualTo(200);

        Map<String, List<Rec>> expected = new TreeMap<>(); // String order is code-point order here (ASCII)
        DATA.stream()
                .filter(matches)
                .forEach(x -> expected.computeIfAbsent(x.destinationId(), k -> new ArrayList<>())
                        .add(x));
        JsonNode groups = r.json().get("groups");
        assertThat(groups)
                .extracting(g -> g.get("destinationId").asString())
                .as(query)
                .containsExactlyElementsOf(expected.keySet());
        int i = 0;
        for (Map.Entry<String, List<Rec>> e : expected.entrySet()) {
            JsonNode group = groups.get(i++);
            List<Rec> records = e.getValue();
            assertThat(group.get("recordCount").asLong())
                    .as("%s %s count", query, e.getKey())
                    .isEqualTo(records.size());
            assertThat(totals(group)).as("%s %s totals", query, e.getKey()).isEqualTo(expectedTotals(records));
            if (includeRecords) {
                List<String> ordered = records.stream()
                        .sorted(Comparator.comparing(Rec::instant).thenComparing(Rec::recordId))
                        .map(Rec::recordId)
                        .toList();
                assertThat(group.get("records"))
                        .extracting(x -> x.get("recordId").asString())
                        .as(query)
                        .containsExactlyElementsOf(ordered);
                for (JsonNode stored : group.get("records")) {
                    Rec sent = records.stream()
                            .filter(x ->
                                    x.recordId().equals(stored.get("recordId").asString()))
                            .findFirst()
                            .orElseThrow();
                    assertThat(stored.get("value").decimalValue()).isEqualTo(sent.value());
                    assertThat(Instant.parse(stored.get("time").asString())).isEqualTo(sent.instant());
                    assertThat(stored.get("unit").asString()).isEqualTo(sent.unit());
                }
            } else {
                assertThat(group.get("records") == null || group.get("records").isEmpty())
                        .as(query)
                        .isTrue();
            }
        }
    }

    /** unit -> [positive, negative, net]: plain BigDecimal sums from 0, so scales are the largest of the terms. */
    private static Map<String, List<BigDecimal>> expectedTotals(List<Rec> records) {
        Map<String, BigDecimal[]> sums = new LinkedHashMap<>();
        for (Rec x : records) {
            BigDecimal[] s = sums.computeIfAbsent(x.unit(), u -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
            int side = x.type().equals("negative") ? 1 : 0;
            s[side] = s[side].add(x.value());
        }
        Map<String, List<BigDecimal>> totals = new HashMap<>();
        sums.forEach((unit, s) -> totals.put(unit, List.of(s[0], s[1], s[0].subtract(s[1]))));
        return totals;
    }

    private static Map<String, List<BigDecimal>> totals(JsonNode group) {
        Map<String, List<BigDecimal>> totals = new HashMap<>();
        for (JsonNode t : group.get("totals")) {
            List<BigDecimal> before = totals.put(
                    t.get("unit").asString(),
                    List.of(
                            t.get("positive").decimalValue(),
                            t.get("negative").decimalValue(),
                            t.get("net").decimalValue()));
            assertThat(before).as("unit %s listed twice", t.get("unit")).isNull();
        }
        return totals;
    }

    private static BigDecimal dec(String s) {
        return new BigDecimal(s);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
