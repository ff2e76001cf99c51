package dev.tally.bench;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bench's settings, parsed once from {@code key=value} arguments (bench/run.sh passes them);
 * every key has a default ({@link #DEFAULTS}), an unknown key or scenario is an error.
 *
 * @param records HTTP batch scenario items (and the COPY baseline's source)
 * @param singleRecords HTTP one-per-request items; 0: {@code max(1000, records / 20)}
 * @param clients HTTP one-per-request concurrent clients
 * @param senders HTTP batch concurrent senders
 * @param totalsRecords records stored for the totals-only measurement
 * @param kafka the broker the service reads and publishes through
 * @param kafkaRecords Kafka scenario items; 0: {@code records}
 * @param out where the table goes (and steady-times.csv beside it); empty: nowhere
 * @param times how record times are spread ({@code times=realistic|uniform}; realistic arrival:
 *     {@code arrival=} an ISO instant, default the moment the settings are parsed, the run's start)
 * @param singleDriver the single scenario's client: {@code wrk} (default) or {@code jdk}
 * @param singleSeconds how long the wrk driver runs the single scenario
 * @param wrkThreads wrk's threads (its connections are {@code clients})
 */
record BenchConfig(
        String url,
        String jdbc,
        long pid,
        int records,
        int singleRecords,
        int clients,
        int senders,
        int batch,
        int steadyRate,
        int steadySeconds,
        int steadyWarmUpSeconds,
        long seed,
        int destinations,
        int references,
        int units,
        double duplicates,
        double conflicts,
        double invalid,
        double overThreshold,
        int totalsRecords,
        String kafka,
        int kafkaRecords,
        List<String> scenarios,
        String out,
        Times times,
        String singleDriver,
        int singleSeconds,
        int wrkThreads) {

    /** Every scenario, in the order they run. */
    static final List<String> SCENARIOS = List.of("copy", "batch", "single", "steady", "aggregate", "kafka", "totals");

    static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("url", "http://127.0.0.1:18080");
        d.put("jdbc", "jdbc:postgresql://127.0.0.1:5432/tally_bench?user=postgres");
        d.put("pid", "0");
        d.put("records", "1000000");
        d.put("singleRecords", "0");
        d.put("clients", "64");
        d.put("senders", "4");
        d.put("batch", "10000");
        d.put("steadyRate", "1000");
        d.put("steadySeconds", "30");
        d.put("steadyWarmUpSeconds", "5");
        d.put("seed", "42");
        d.put("destinations", "1000");
        d.put("references", "100");
        d.put("units", "4");
        d.put("duplicates", "0.05");
        d.put("conflicts", "0.005");
        d.put("invalid", "0.01");
        d.put("overThreshold", "0.02");
        d.put("totalsRecords", "10000000");
        d.put("kafka", "127.0.0.1:19092");
        d.put("kafkaRecords", "0");
        d.put("scenarios", String.join(",", SCENARIOS));
        d.put("out", "");
        d.put("times", "realistic");
        d.put("arrival", "");
        d.put("singleDriver", "wrk");
        d.put("singleSeconds", "30");
        d.put("wrkThreads", "2");
        return Map.copyOf(d);
    }

    BenchConfig {
        scenarios = List.copyOf(scenarios);
        for (String s : scenarios) {
            if (!SCENARIOS.contains(s)) {
                throw new IllegalArgumentException("unknown scenario " + s + "; known: " + SCENARIOS);
            }
        }
        if (!List.of("wrk", "jdk").contains(singleDriver)) {
            throw new IllegalArgumentException("singleDriver=" + singleDriver + " is neither wrk nor jdk");
        }
        if (singleSeconds == 0 || wrkThreads == 0 || wrkThreads > clients) {
            throw new IllegalArgumentException("singleSeconds and wrkThreads must be positive, wrkThreads <= clients");
        }
    }

    static BenchConfig parse(String... args) {
        Settings s = new Settings(args);
        return new BenchConfig(
                s.text("url"),
                s.text("jdbc"),
                s.whole("pid"),
                s.count("records"),
                s.count("singleRecords"),
                s.count("clients"),
                s.count("senders"),
                s.count("batch"),
                s.count("steadyRate"),
                s.count("steadySeconds"),
                s.count("steadyWarmUpSeconds"),
                s.whole("seed"),
                s.count("destinations"),
                s.count("references"),
                s.count("units"),
                s.share("duplicates"),
                s.share("conflicts"),
                s.share("invalid"),
                s.share("overThreshold"),
                s.count("totalsRecords"),
                s.text("kafka"),
                s.count("kafkaRecords"),
                Arrays.asList(s.text("scenarios").split(",", -1)),
                s.text("out"),
                Times.parse(s.text("times"), s.instant("arrival")),
                s.text("singleDriver"),
                s.count("singleSeconds"),
                s.count("wrkThreads"));
    }

    boolean runs(String scenario) {
        return scenarios.contains(scenario);
    }

    int singleItems() {
        return singleRecords > 0 ? singleRecords : Math.max(1000, records / 20);
    }

    int kafkaItems() {
        return kafkaRecords > 0 ? kafkaRecords : records;
    }

    /** The generator's settings with the configured shares of duplicates, conflicts and invalid items. */
    Generator.Params mixed(int blockSize) {
        return params(duplicates, conflicts, invalid, blockSize);
    }

    /** The generator's settings for originals only. */
    Generator.Params originals(int blockSize) {
        return params(0, 0, 0, blockSize);
    }

    private Generator.Params params(double dup, double conflict, double invalidShare, int blockSize) {
        return new Generator.Params(
                seed, destinations, references, units, dup, conflict, invalidShare, overThreshold, blockSize, times);
    }

    /** The raw {@code key=value} pairs over the defaults, read as typed values. */
    private static final class Settings {
        private final Map<String, String> values = new HashMap<>(DEFAULTS);

        Settings(String... args) {
            for (String a : args) {
                int eq = a.indexOf('=');
                if (eq < 0 || !DEFAULTS.containsKey(a.substring(0, eq))) {
                    throw new IllegalArgumentException("unknown setting " + a + "; known: "
                            + DEFAULTS.keySet().stream().sorted().toList());
                }
                values.put(a.substring(0, eq), a.substring(eq + 1));
            }
        }

        String text(String key) {
            return values.get(key);
        }

        long whole(String key) {
            try {
                return Long.parseLong(values.get(key));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + "=" + values.get(key) + " is not a whole number", e);
            }
        }

        int count(String key) {
            long v = whole(key);
            if (v < 0 || v > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(key + "=" + v + " is not a count");
            }
            return (int) v;
        }

        /** An ISO-8601 instant; empty: now. */
        Instant instant(String key) {
            String v = values.get(key);
            try {
                return v.isEmpty() ? Instant.now() : Instant.parse(v);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(key + "=" + v + " is not an ISO-8601 instant", e);
            }
        }

        double share(String key) {
            try {
                return Double.parseDouble(values.get(key));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + "=" + values.get(key) + " is not a number", e);
            }
        }
    }
}
