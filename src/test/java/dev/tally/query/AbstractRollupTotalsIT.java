package dev.tally.query;

import static dev.tally.support.Rec.rec;
import static dev.tally.support.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.rollup.RollupFolder;
import dev.tally.store.AggregationFilter;
import dev.tally.store.Dialect;
import dev.tally.store.Jdbc;
import dev.tally.store.RollupStore;
import dev.tally.support.Api;
import dev.tally.support.IntegrationTestSupport;
import dev.tally.support.Rec;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import tools.jackson.databind.JsonNode;

/**
 * {@code includeRecords=false} answers from the rollups (weekly, daily, hourly totals: V3, V6) plus
 * records at the window's partial hours; it must equal the totals of the records in the window —
 * the test's own model of them and the plain record scan ({@code includeRecords=true}), with the
 * exact scale — for every kind of window, whether the records are folded into the rollups yet or
 * not. And the rollups the folder keeps must equal what the migrations' backfill computes from the
 * records. Run against each database by the subclasses.
 *
 * <p>Folders run in the background (this context's, and those of other cached test contexts on the
 * same database). A test that needs a fold state holds the watermark lock on its own connection
 * ({@link Held}): every folder waits, and the test folds on that connection itself.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class AbstractRollupTotalsIT extends IntegrationTestSupport {

    @Autowired
    private Dialect dialect;

    @Autowired
    private DataSource dataSource;

    @Autowired
    private RollupFolder folder;

    /**
     * A connection holding the rollups' watermark lock in an open transaction, with the service's
     * own {@link RollupStore} on it: no folder can fold until {@link #close}, and what this one
     * folds is seen by statements on this connection only until it commits.
     */
    private final class Held implements AutoCloseable {
        final Connection connection;
        final RollupStore rollups;

        Held() throws SQLException {
            connection = dataSource.getConnection();
            connection.setAutoCommit(false);
            rollups = new RollupStore(new JdbcTemplate(new SingleConnectionDataSource(connection, true)), dialect);
            assertThat(rollups.lockWatermark()).isZero();
        }

        /** Folds seqs (after, upTo] as a folding round does, not committed. */
        void fold(long after, long upTo) {
            rollups.add(after, upTo);
            rollups.setWatermark(upTo);
        }

        /** The totals rows of a query run on this connection, as {@link #rows} formats them. */
        List<String> rows(AggregationFilter.Where where) throws SQLException {
            try (PreparedStatement ps = connection.prepareStatement(where.sql())) {
                for (int i = 0; i < where.args().size(); i++) {
                    Object arg = where.args().get(i);
                    if (arg instanceof Instant instant) {
                        Jdbc.setInstant(ps, i + 1, instant);
                    } else {
                        ps.setObject(i + 1, arg);
                    }
                }
                List<String> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1)
                                + ' '
                                + rs.getString(2)
                                + ' '
                                + rs.getString(3)
                                + ' '
                                + rs.getLong(4)
                                + ' '
                                + rs.getBigDecimal(5).stripTrailingZeros().toPlainString()
                                + ' '
                                + rs.getShort(6));
                    }
                }
                return out;
            }
        }

        @Override
        public void close() throws SQLException {
            try {
                connection.rollback();
            } finally {
                connection.setAutoCommit(true);
                connection.close();
            }
        }
    }

    private void postRecords() {
        String batch = "["
                + String.join(
                        ",",
                        rec("h-1")
                                .time("2026-03-01T10:15:00Z")
                                .dest("acct-1")
                                .type("positive")
                                .value("10.50")
                                .unit("SEK")
                                .ref("inv-1")
                                .json(),
                        rec("h-2")
                                .time("2026-03-01T11:30:00Z")
                                .dest("acct-1")
                                .type("negative")
                                .value("2.25")
                                .unit("SEK")
                                .ref("inv-1")
                                .json(),
                        rec("h-3")
                                .time("2026-03-01T13:05:00Z")
                                .dest("acct-1")
                                .type("positive")
                                .value("1.125")
                                .unit("SEK")
                                .ref("inv-2")
                                .json(),
                        rec("h-4")
                                .time("2026-03-01T11:59:59.999999Z")
                                .dest("acct-2")
                                .type("positive")
                                .number("7")
                                .unit("EUR")
                                .ref("inv-3")
                                .json(),
                        rec("h-5")
                                .time("2026-03-02T00:00:00Z")
                                .dest("acct-2")
                                .type("positive")
                                .value("3.0")
                                .unit("EUR")
                                .ref("inv-3")
                                .json())
                + "]";
        Api.Response r = api.postJson("/v1/records/batch", batch);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("accepted").asLong()).isEqualTo(5);
    }

    @Test
    final void partialHoursAtBothEdgesAreTakenFromRecords() {
        postRecords();
        // Whole hours 11:00-13:00 from the hourly totals, 10:30-11:00 and 13:00-13:10 from records.
        JsonNode groups = totals("from=2026-03-01T10:30:00Z&to=2026-03-01T13:10:00Z");
        assertThat(groups.size()).isEqualTo(2);
        assertGroup(groups.get(0), "acct-1", 2, "SEK", "1.125", "2.25", "-1.125");
        assertGroup(groups.get(1), "acct-2", 1, "EUR", "7", "0", "7");
    }

    @Test
    final void totalsOnlyEqualTheRecordScanForEveryKindOfWindow() {
        postRecords();
        for (String window : List.of(
                "",
                "from=2026-03-01T11:00:00Z&to=2026-03-02T00:00:00Z",
                "from=2026-03-01T10:10:00Z&to=2026-03-01T10:20:00Z",
                "from=2026-03-01T10:30:00Z",
                "to=2026-03-01T12:00:00Z",
                "to=2026-03-02T00:00:00.000001Z",
                "type=negative",
                "from=2026-03-01T09:00:00Z&unit=EUR",
                "destinationId=acct-1&to=2026-03-01T13:00:00Z",
                "reference=inv-1&from=2026-03-01T10:00:00Z")) {
            String q = window.isEmpty() ? "" : window + "&";
            assertThat(summary(totals(q + "includeRecords=false")))
                    .as(window)
                    .isEqualTo(summary(totals(q + "includeRecords=true")));
        }
        assertGroup(totals("").get(0), "acct-1", 3, "SEK", "11.625", "2.25", "9.375");
        assertGroup(totals("").get(1), "acct-2", 2, "EUR", "10.0", "0", "10.0");
    }

    /** 2026-03-02, 03-09, 03-16 and 03-23 are Mondays: the records span five weeks, partly. */
    private static final Instant BASE = Instant.parse("2026-02-26T00:00:00Z");

    private static final int SPAN_DAYS = 30;

    /**
     * Records over five weeks, many of them on the boundaries of hours, days and weeks or a
     * microsecond before one, with scales 0 to 18, two sources, three destinations, two units.
     */
    private static List<Rec> generate(Random random, int n) {
        List<Rec> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Instant time = switch (random.nextInt(5)) {
                case 0 -> BASE.plus(random.nextInt(SPAN_DAYS * 24), ChronoUnit.HOURS);
                case 1 -> BASE.plus(random.nextInt(SPAN_DAYS), ChronoUnit.DAYS).minusNanos(1000);
                case 2 ->
                    Instant.parse("2026-03-02T00:00:00Z")
                            .plus(7L * random.nextInt(4), ChronoUnit.DAYS)
                            .minusNanos(random.nextBoolean() ? 1000 : 0);
                default -> BASE.plusSeconds(random.nextInt(SPAN_DAYS * 86_400)).plusNanos(random.nextInt(1000) * 1000L);
            };
            int scale = random.nextInt(10) == 0 ? 18 : random.nextInt(5);
            BigDecimal value = new BigDecimal(BigInteger.valueOf(random.nextInt(2_000_000)), scale);
            out.add(rec("m-" + i)
                    .time(time)
                    .source(random.nextBoolean() ? "billing" : "payments")
                    .dest("acct-" + random.nextInt(3))
                    .type(random.nextInt(3) == 0 ? "negative" : "positive")
                    .value(value)
                    .unit(random.nextBoolean() ? "SEK" : "EUR")
                    .ref("inv-" + random.nextInt(3)));
        }
        return out;
    }

    /** The filters of one query, null when not given. */
    private record Window(Instant from, Instant to, String type, String dest, String source, String ref, String unit) {
        String query() {
            List<String> params = new ArrayList<>();
            add(params, "from", from);
            add(params, "to", to);
            add(params, "type", type);
            add(params, "destinationId", dest);
            add(params, "sourceId", source);
            add(params, "reference", ref);
            add(params, "unit", unit);
            return String.join("&", params);
        }

        private static void add(List<String> params, String name, Object value) {
            if (value != null) {
                params.add(name + "=" + value);
            }
        }

        boolean contains(Rec r) {
            return (from == null || !r.instant().isBefore(from))
                    && (to == null || r.instant().isBefore(to))
                    && (type == null || type.equals(r.type()))
                    && (dest == null || dest.equals(r.destinationId()))
                    && (source == null || source.equals(r.sourceId()))
                    && (ref == null || ref.equals(r.reference()))
                    && (unit == null || unit.equals(r.unit()));
        }

        /** The model: per destination its count and per unit the exact sums, formatted as {@link #summary}. */
        List<String> expected(List<Rec> records) {
            Map<String, Long> counts = new TreeMap<>();
            Map<String, Map<String, BigDecimal[]>> sums = new TreeMap<>();
            for (Rec r : records) {
                if (contains(r)) {
                    counts.merge(r.destinationId(), 1L, Long::sum);
                    BigDecimal[] s = sums.computeIfAbsent(r.destinationId(), d -> new TreeMap<>())
                            .computeIfAbsent(r.unit(), u -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
                    int i = "positive".equals(r.type()) ? 0 : 1;
                    s[i] = s[i].add(r.value());
                }
            }
            List<String> out = new ArrayList<>();
            counts.forEach((dest, count) -> {
                StringBuilder b = new StringBuilder(dest).append(' ').append(count);
                sums.get(dest)
                        .forEach((unit, s) -> b.append(' ')
                                .append(unit)
                                .append(' ')
                                .append(s[0].toPlainString())
                                .append(' ')
                                .append(s[1].toPlainString())
                                .append(' ')
                                .append(s[0].subtract(s[1]).toPlainString()));
                out.add(b.toString());
            });
            return out;
        }
    }

    private static Instant t(String s) {
        return Instant.parse(s);
    }

    @Test
    final void totalsOnlyEqualAModelOfTheRecordsForEveryKindOfWindowInEveryFoldState() throws SQLException {
        Random random = new Random(4);
        List<Rec> records = generate(random, 600);
        List<Window> windows = windows(random);
        try (Held held = new Held()) {
            postAll(records);
            // Nothing folded: the rollups are empty, the totals come from the records above the watermark.
            assertThat(count("hourly_totals")).isZero();
            assertWindows(windows, records, "nothing folded");
            // Part folded (seqs 1-250 in the rollups, the rest not), seen by this connection only.
            held.fold(0, 250);
            int checked = 0;
            int doubled = 0;
            for (Window w : windows) {
                AggregationQuery q = AggregationQuery.parse(
                        str(w.from()),
                        str(w.to()),
                        w.type(),
                        w.dest(),
                        w.source(),
                        w.ref(),
                        w.unit(),
                        "false",
                        new ArrayList<>());
                AggregationFilter f = q.filter();
                if (f.totalsFromRollups()) {
                    assertThat(held.rows(f.rollupTotals(250, 600)))
                            .as("part folded, " + w.query())
                            .isEqualTo(held.rows(plainTotals(f)));
                    checked++;
                    // The watermark matters: read as 0, seqs 1-250 would count twice in most windows.
                    if (!held.rows(f.rollupTotals(0, 600)).equals(held.rows(f.rollupTotals(250, 600)))) {
                        doubled++;
                    }
                }
            }
            assertThat(checked).isGreaterThan(40);
            assertThat(doubled).isGreaterThan(checked / 2);
        }
        // All folded, by the service's folder.
        folder.foldAll();
        assertThat(jdbc.queryForObject("SELECT folded_seq FROM rollup_watermark", Long.class))
                .isEqualTo(600);
        assertWindows(windows, records, "all folded");
    }

    private static String str(Instant t) {
        return t == null ? null : t.toString();
    }

    /** The plain totals scan of the records for {@code q}'s window (same columns as the rollup query). */
    private static AggregationFilter.Where plainTotals(AggregationFilter f) {
        AggregationFilter.Where where = f.where();
        return new AggregationFilter.Where(
                "SELECT destination_id, unit, record_type, COUNT(*), SUM(amount), MAX(amount_scale)"
                        + " FROM records" + where.sql() + " GROUP BY destination_id, unit, record_type"
                        + " ORDER BY destination_id, unit, record_type",
                where.args());
    }

    private void assertWindows(List<Window> windows, List<Rec> records, String state) {
        for (Window w : windows) {
            String q = w.query().isEmpty() ? "" : w.query() + "&";
            List<String> expected = w.expected(records);
            assertThat(summary(totals(q + "includeRecords=false")))
                    .as(state + ", totals only, " + w.query())
                    .isEqualTo(expected);
            assertThat(summary(totals(q + "includeRecords=true")))
                    .as(state + ", record scan, " + w.query())
                    .isEqualTo(expected);
        }
    }

    private static List<Window> windows(Random random) {
        List<Window> windows = new ArrayList<>(List.of(
                new Window(null, null, null, null, null, null, null),
                // within one hour; within one hour at its very start; one whole hour
                new Window(t("2026-03-03T10:10:00Z"), t("2026-03-03T10:50:00Z"), null, null, null, null, null),
                new Window(t("2026-03-03T10:00:00Z"), t("2026-03-03T10:00:00.000001Z"), null, null, null, null, null),
                new Window(t("2026-03-03T10:00:00Z"), t("2026-03-03T11:00:00Z"), null, null, null, null, null),
                // across an hour boundary, a day boundary, a week boundary (Sunday to Monday)
                new Window(t("2026-03-03T10:59:00Z"), t("2026-03-03T11:01:00Z"), null, null, null, null, null),
                new Window(t("2026-03-03T22:30:00Z"), t("2026-03-04T01:30:00Z"), null, null, null, null, null),
                new Window(t("2026-03-08T20:00:00Z"), t("2026-03-09T04:00:00Z"), null, null, null, null, null),
                new Window(t("2026-03-07T00:00:00Z"), t("2026-03-11T00:00:00Z"), null, null, null, null, null),
                // whole weeks; whole days across weeks; unaligned over several weeks (both edges partial)
                new Window(t("2026-03-02T00:00:00Z"), t("2026-03-23T00:00:00Z"), null, null, null, null, null),
                new Window(t("2026-02-26T00:00:00Z"), t("2026-03-28T00:00:00Z"), null, null, null, null, null),
                new Window(
                        t("2026-02-27T13:21:05.123456Z"),
                        t("2026-03-24T08:00:00.000001Z"),
                        null,
                        null,
                        null,
                        null,
                        null),
                // open at one end; nothing stored in the window
                new Window(null, t("2026-03-10T05:30:00Z"), null, null, null, null, null),
                new Window(t("2026-03-08T23:00:00Z"), null, null, null, null, null, null),
                new Window(t("2025-01-01T00:00:00Z"), t("2025-02-01T00:00:00Z"), null, null, null, null, null),
                new Window(t("2026-04-01T00:00:00Z"), null, null, null, null, null, null),
                // filters kept by the rollups, and those that fall back to the record scan
                new Window(t("2026-02-27T13:00:00Z"), t("2026-03-20T00:00:00Z"), "positive", null, null, null, null),
                new Window(null, t("2026-03-20T07:00:00Z"), "negative", "acct-1", null, null, "SEK"),
                new Window(t("2026-02-27T13:21:00Z"), t("2026-03-24T08:00:00Z"), null, null, "billing", null, null),
                new Window(t("2026-02-27T13:21:00Z"), null, "negative", null, null, "inv-2", null)));
        Instant[] edges = {
            t("2026-03-02T00:00:00Z"), t("2026-03-09T00:00:00Z"), t("2026-03-04T00:00:00Z"), t("2026-03-04T17:00:00Z")
        };
        for (int i = 0; i < 40; i++) {
            Instant from = pick(random, edges);
            Instant to = from.plusSeconds(1 + random.nextInt(random.nextBoolean() ? 2 * 86_400 : 20 * 86_400));
            if (random.nextInt(3) == 0) {
                to = pick(random, edges).plus(7, ChronoUnit.DAYS);
            }
            if (!from.isBefore(to)) {
                continue;
            }
            String type = random.nextInt(4) == 0 ? "positive" : null;
            String unit = random.nextInt(4) == 0 ? "EUR" : null;
            windows.add(new Window(random.nextInt(8) == 0 ? null : from, to, type, null, null, null, unit));
        }

        return windows;
    }

    @Test
    final void eachLevelAnswersOnlyTheWholeBucketsTheNextLevelCannot() {
        List<Rec> records = generate(new Random(11), 600);
        postAll(records);
        folder.foldAll();
        // Mark each level: a daily row now counts its records 1,000 times, a weekly row 1,000,000 times.
        jdbc.update("UPDATE daily_totals SET record_count = record_count * 1000");
        jdbc.update("UPDATE weekly_totals SET record_count = record_count * 1000000");
        long expected = count(records, "2026-03-04T00:20:34.567Z", "2026-03-04T01:00:00Z") // records
                + count(records, "2026-03-28T00:00:00Z", "2026-03-28T00:39:05.089Z") // records
                + count(records, "2026-03-04T01:00:00Z", "2026-03-05T00:00:00Z") // hours
                + 1_000 * count(records, "2026-03-05T00:00:00Z", "2026-03-09T00:00:00Z") // days
                + 1_000 * count(records, "2026-03-23T00:00:00Z", "2026-03-28T00:00:00Z") // days
                + 1_000_000 * count(records, "2026-03-09T00:00:00Z", "2026-03-23T00:00:00Z"); // weeks
        long got = 0;
        for (JsonNode g : totals("from=2026-03-04T00:20:34.567Z&to=2026-03-28T00:39:05.089Z")) {
            got += g.get("recordCount").asLong();
        }
        assertThat(got).isEqualTo(expected);
    }

    private static long count(List<Rec> records, String from, String to) {
        return records.stream()
                .filter(r -> !r.instant().isBefore(t(from)) && r.instant().isBefore(t(to)))
                .count();
    }

    /** A random instant: a record boundary (hour, day, Monday), a microsecond off one, or anywhere. */
    private static Instant pick(Random random, Instant[] edges) {
        return switch (random.nextInt(4)) {
            case 0 -> edges[random.nextInt(edges.length)];
            case 1 ->
                BASE.plus(random.nextInt(SPAN_DAYS * 24), ChronoUnit.HOURS)
                        .plusNanos(random.nextBoolean() ? 1000 : -1000);
            default -> BASE.plusSeconds(random.nextInt(SPAN_DAYS * 86_400)).plusNanos(random.nextInt(1000) * 1000L);
        };
    }

    @Test
    final void everyRollupEqualsTheMigrationsBackfillFromTheRecords() throws IOException {
        postAll(generate(new Random(9), 300));
        folder.foldAll();
        assertRollupsEqualTheBackfill();
    }

    private void assertRollupsEqualTheBackfill() throws IOException {
        Map<String, List<String>> written = new TreeMap<>();
        for (String table : List.of("hourly_totals", "daily_totals", "weekly_totals")) {
            written.put(table, rollupRows(table));
        }
        assertThat(written.values()).allSatisfy(rows -> assertThat(rows).isNotEmpty());
        // V3 and V6 backfill the rollups from records stored before them: run their INSERTs again.
        jdbc.execute("DELETE FROM hourly_totals");
        jdbc.execute("DELETE FROM daily_totals");
        jdbc.execute("DELETE FROM weekly_totals");
        for (String migration : List.of("V3__hourly_totals.sql", "V6__daily_weekly_totals.sql")) {
            for (String insert : backfillStatements(migration)) {
                jdbc.execute(insert);
            }
        }
        for (String table : written.keySet()) {
            assertThat(rollupRows(table)).as(table).isEqualTo(written.get(table));
        }
    }

    @Test
    final void foldingInRoundsBetweenWritesAddsEveryRecordExactlyOnce() throws SQLException, IOException {
        Random random = new Random(13);
        List<Rec> records = generate(random, 500);
        try (Held held = new Held()) {
            postAll(records.subList(0, 300));
            held.fold(0, 120);
            held.fold(120, 121);
            held.connection.commit(); // the lock goes with the commit: other folders may go on from 121
        }
        postAll(records.subList(300, 500));
        folder.foldAll();
        folder.foldAll(); // nothing left: a no-op
        assertThat(jdbc.queryForObject("SELECT folded_seq FROM rollup_watermark", Long.class))
                .isEqualTo(500);
        assertRollupsEqualTheBackfill();
        assertThat(summary(totals("")))
                .isEqualTo(new Window(null, null, null, null, null, null, null).expected(records));
    }

    @Test
    final void theServicesFolderFoldsCommittedRecordsInTheBackground() {
        postAll(generate(new Random(17), 50));
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> jdbc.queryForObject("SELECT folded_seq FROM rollup_watermark", Long.class) >= 50);
        assertThat(jdbc.queryForObject("SELECT folded_seq FROM rollup_watermark", Long.class))
                .isEqualTo(50);
        assertThat(jdbc.queryForObject("SELECT SUM(record_count) FROM weekly_totals", Long.class))
                .isEqualTo(50);
    }

    private List<String> rollupRows(String table) {
        String start = switch (table) {
            case "hourly_totals" -> "hour_start";
            case "daily_totals" -> "day_start";
            default -> "week_start";
        };
        return jdbc.query(
                "SELECT destination_id, unit, record_type, " + start + ", record_count, amount_sum, max_scale FROM "
                        + table + " ORDER BY destination_id, unit, record_type, " + start,
                (rs, i) -> rs.getString(1)
                        + ' '
                        + rs.getString(2)
                        + ' '
                        + rs.getString(3)
                        + ' '
                        + rs.getObject(4, OffsetDateTime.class).toInstant()
                        + ' '
                        + rs.getLong(5)
                        + ' '
                        + rs.getBigDecimal(6).stripTrailingZeros().toPlainString()
                        + ' '
                        + rs.getShort(7));
    }

    /** The INSERT statements of a migration, its placeholders replaced as Flyway does for this database. */
    private List<String> backfillStatements(String migration) throws IOException {
        String sql;
        try (InputStream in = getClass().getResourceAsStream("/db/migration/" + migration)) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (Map.Entry<String, String> p : dialect.flywayPlaceholders().entrySet()) {
            sql = sql.replace("${" + p.getKey() + "}", p.getValue());
        }
        return Arrays.stream(sql.split(";"))
                .map(s -> s.replaceAll("(?m)^--.*$", "").strip())
                .filter(s -> s.startsWith("INSERT"))
                .toList();
    }

    private void postAll(List<Rec> records) {
        String batch = "[" + String.join(",", records.stream().map(Rec::json).toList()) + "]";
        Api.Response r = api.postJson("/v1/records/batch", batch);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("accepted").asLong()).isEqualTo(records.size());
    }

    private JsonNode totals(String query) {
        String q = query.contains("includeRecords")
                ? query
                : (query.isEmpty() ? "" : query + "&") + "includeRecords=false";
        Api.Response r = api.get("/v1/aggregations?" + q);
        assertThat(r.status()).as(q).isEqualTo(200);
        return r.json().get("groups");
    }

    /** Destination, count and per-unit totals, decimals exactly as written (value and scale). */
    private static List<String> summary(JsonNode groups) {
        List<String> out = new ArrayList<>();
        for (JsonNode g : groups) {
            StringBuilder b = new StringBuilder(g.get("destinationId").asString())
                    .append(' ')
                    .append(g.get("recordCount").asLong());
            for (JsonNode t : g.get("totals")) {
                b.append(' ')
                        .append(t.get("unit").asString())
                        .append(' ')
                        .append(t.get("positive").decimalValue().toPlainString())
                        .append(' ')
                        .append(t.get("negative").decimalValue().toPlainString())
                        .append(' ')
                        .append(t.get("net").decimalValue().toPlainString());
            }
            out.add(b.toString());
        }
        return out;
    }

    private static void assertGroup(
            JsonNode g, String destination, long count, String unit, String positive, String negative, String net) {
        assertThat(g.get("destinationId").asString()).isEqualTo(destination);
        assertThat(g.get("recordCount").asLong()).isEqualTo(count);
        assertThat(g.get("totals").size()).isEqualTo(1);
        JsonNode t = g.get("totals").get(0);
        assertThat(t.get("unit").asString()).isEqualTo(unit);
        assertThat(t.get("positive").decimalValue()).isEqualByComparingTo(new BigDecimal(positive));
        assertThat(t.get("negative").decimalValue()).isEqualByComparingTo(new BigDecimal(negative));
        assertThat(t.get("net").decimalValue()).isEqualByComparingTo(new BigDecimal(net));
    }
}
