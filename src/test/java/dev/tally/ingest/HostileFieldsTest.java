package dev.tally.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.record.FieldError;
import dev.tally.record.Validation;
import dev.tally.web.MalformedBody;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The worst text of every field, read by the same parser and validator as the HTTP and Kafka
 * edges: each is refused (or, for ignored extra fields, accepted) in milliseconds. Before the text
 * bounds, a {@code value} string of 1,000,000 digits took 14 s of CPU (BigDecimal's parse is
 * quadratic) and {@code 1E+9999} was expanded to 10,000 digits before its precision was checked.
 *
 * <p>Bounds, on the best of several runs after warm-up: the CPU time of the reading thread under
 * {@value #CPU_BOUND_MS} ms (what a hostile request costs the service, and what a loaded build
 * machine does not inflate), and the wall-clock time under {@value #WALL_BOUND_MS} ms (seen at
 * 139 ms for 1 MB with a load average of 22 on 2 cores). The quadratic case took 14-27 s.
 */
class HostileFieldsTest {

    /** A ~1 MB input (the default tally.ingest.max-record-bytes) is parsed and refused in 1-15 ms of CPU. */
    private static final long CPU_BOUND_MS = 100;

    private static final long WALL_BOUND_MS = 1_000;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static final int N = 1_000_000;

    static Stream<Arguments> hostileFields() {
        List<Arguments> cases = new ArrayList<>();
        for (String field : List.of("recordId", "sourceId", "destinationId", "type", "unit", "reference")) {
            cases.add(Arguments.of(field + ": 1,000,000 characters", with(field, quoted("a".repeat(N))), field));
            cases.add(Arguments.of(
                    field + ": 250,000 astral code points (1 MB of UTF-8)",
                    with(field, quoted("\uD83D\uDE00".repeat(N / 4))),
                    field));
        }
        cases.add(Arguments.of("time: 1,000,000 digits", with("time", quoted("2".repeat(N))), "time"));
        cases.add(Arguments.of(
                "time: a valid prefix and 1,000,000 more digits",
                with("time", quoted("2026-03-01T12:00:00." + "1".repeat(N) + "Z")),
                "time"));
        cases.add(Arguments.of("value string: 1,000,000 digits", with("value", quoted("9".repeat(N))), "value"));
        // valid before the text bound (it is 1); a value text is now at most 100 characters
        cases.add(Arguments.of(
                "value string: 1,000,000 leading zeros", with("value", quoted("0".repeat(N) + "1")), "value"));
        cases.add(Arguments.of(
                "value string: 1,000,000 fraction digits", with("value", quoted("0." + "0".repeat(N) + "1")), "value"));
        cases.add(Arguments.of("value string: 1e9999", with("value", quoted("1e9999")), "value"));
        cases.add(Arguments.of("value string: 9.99e9999", with("value", quoted("9.99e9999")), "value"));
        cases.add(Arguments.of("value string: 1e999999999", with("value", quoted("1e999999999")), "value"));
        cases.add(Arguments.of("value string: 1e-999999999", with("value", quoted("1e-999999999")), "value"));
        cases.add(Arguments.of("value number: 1,000,000 digits", with("value", "9".repeat(N)), "value"));
        cases.add(Arguments.of("value number: 1,000,000-digit exponent", with("value", "1e" + "9".repeat(N)), "value"));
        cases.add(Arguments.of("recordId number: 1,000,000 digits", with("recordId", "9".repeat(N)), "recordId"));
        cases.add(Arguments.of("value number: 1e9999", with("value", "1e9999"), "value"));
        cases.add(Arguments.of("value number: 1e999999999", with("value", "1e999999999"), "value"));
        cases.add(
                Arguments.of("value number: 1,000 digits of exponent", with("value", "1e" + "9".repeat(997)), "value"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileFields")
    void theWorstTextOfEachFieldIsRefusedInMilliseconds(String description, byte[] body, String field) {
        Validation[] result = new Validation[1];
        Cost cost = best(() -> result[0] = RecordReader.readOne(new ByteArrayInputStream(body)));

        assertThat(result[0]).isInstanceOf(Validation.Invalid.class);
        assertThat(((Validation.Invalid) result[0]).errors())
                .extracting(FieldError::field)
                .containsExactly(field);
        cost.assertBounded(description);
    }

    static Stream<Arguments> hostileDocuments() {
        return Stream.of(
                Arguments.of("extra field nested 1,000,000 deep", extra("[".repeat(N) + "]".repeat(N))),
                Arguments.of(
                        "extra field objects nested 300,000 deep",
                        extra("{\"a\":".repeat(300_000) + "1" + "}".repeat(300_000))),
                Arguments.of("extra field name of 1,000,000 characters", extraNamed("n".repeat(N))));
    }

    /** Past Jackson's own limits (StreamReadConstraints in RecordJson) the document is malformed JSON. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileDocuments")
    void documentsPastJacksonsLimitsAreMalformedInMilliseconds(String description, byte[] body) {
        Cost cost = best(() -> assertThatThrownBy(() -> RecordReader.readOne(new ByteArrayInputStream(body)))
                .isInstanceOf(MalformedBody.class));

        cost.assertBounded(description);
    }

    static Stream<Arguments> ignoredExtras() {
        return Stream.of(
                Arguments.of("extra string of 1,000,000 characters", extra(quoted("x".repeat(N)))),
                Arguments.of("extra number of 1,000,000 digits", extra("9".repeat(N))),
                Arguments.of("extra array of 300,000 numbers", extra("[" + "1,".repeat(300_000) + "1]")),
                Arguments.of("extra fields: 50,000 distinct names", manyExtras(50_000)),
                Arguments.of("extra field nested 400 deep", extra("[".repeat(400) + "]".repeat(400))));
    }

    /** Unknown fields are ignored however large (within the body limit), and cost linear time. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("ignoredExtras")
    void ignoredExtraFieldsCostMilliseconds(String description, byte[] body) {
        Validation[] result = new Validation[1];
        Cost cost = best(() -> result[0] = RecordReader.readOne(new ByteArrayInputStream(body)));

        assertThat(result[0]).isInstanceOf(Validation.Valid.class);
        cost.assertBounded(description);
    }

    /** The least CPU and the least wall-clock time of one run, in milliseconds. */
    private record Cost(long cpuMs, long wallMs) {
        void assertBounded(String description) {
            assertThat(cpuMs).as("%s: CPU %d ms", description, cpuMs).isLessThan(CPU_BOUND_MS);
            assertThat(wallMs).as("%s: wall clock %d ms", description, wallMs).isLessThan(WALL_BOUND_MS);
        }
    }

    /** The best of 7 timed runs after 3 warm-up runs. */
    private static Cost best(Runnable run) {
        for (int i = 0; i < 3; i++) {
            run.run();
        }
        long cpu = Long.MAX_VALUE;
        long wall = Long.MAX_VALUE;
        for (int i = 0; i < 7; i++) {
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            run.run();
            wall = Math.min(wall, System.nanoTime() - start);
            cpu = Math.min(cpu, THREADS.getCurrentThreadCpuTime() - cpuStart);
        }
        return new Cost(cpu / 1_000_000, wall / 1_000_000);
    }

    private static final String[][] VALID = {
        {"recordId", "\"h-1\""},
        {"time", "\"2026-03-01T12:00:00Z\""},
        {"sourceId", "\"billing\""},
        {"destinationId", "\"acct-42\""},
        {"type", "\"positive\""},
        {"value", "\"125.50\""},
        {"unit", "\"SEK\""},
        {"reference", "\"inv-1\""}
    };

    /** A valid record whose {@code field} is the raw JSON {@code json}. */
    static byte[] with(String field, String json) {
        StringBuilder b = new StringBuilder("{");
        for (String[] f : VALID) {
            b.append(b.length() == 1 ? "" : ",")
                    .append('"')
                    .append(f[0])
                    .append("\":")
                    .append(f[0].equals(field) ? json : f[1]);
        }
        return b.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] extra(String json) {
        return extraNamed("extra", json);
    }

    static byte[] extraNamed(String name) {
        return extraNamed(name, "1");
    }

    private static byte[] extraNamed(String name, String json) {
        String valid = new String(with("", ""), StandardCharsets.UTF_8);
        return ("{\"" + name + "\":" + json + "," + valid.substring(1)).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] manyExtras(int count) {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < count; i++) {
            b.append("\"x").append(i).append("\":").append(i).append(',');
        }
        String valid = new String(with("", ""), StandardCharsets.UTF_8);
        return b.append(valid.substring(1)).toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String quoted(String s) {
        return '"' + s + '"';
    }
}
