package dev.tally.bench;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.ForkJoinPool;

/**
 * Tally's benchmark: a same-run COPY baseline, then the scenarios of issue #4 against a running
 * service, each verified against the generator's own expectation. Settings are {@code key=value}
 * arguments ({@link BenchConfig}); bench/run.sh passes them. Exit status 0 only if every
 * verification passed.
 */
public final class Bench {

    private Bench() {}

    public static void main(String[] args) throws Exception {
        configureJvm();
        BenchConfig config = BenchConfig.parse(args);
        BenchRun bench = new BenchRun(config);
        System.out.printf(
                Locale.ROOT,
                "Tally bench: %,d records (batch scenario), seed %s, service pid %d%n",
                config.records(),
                config.seed(),
                config.pid());
        for (Scenario s : scenarios()) {
            if (config.runs(s.name())) {
                s.run(bench);
            }
        }
        bench.report().print(config.out());
        System.exit(bench.report().allPassed() ? 0 : 1);
    }

    /**
     * Every scenario, in the order they run: the aggregations (specified at 1,000,000 stored
     * records) before Kafka adds its records, and the totals scenario, which tops the database up
     * to 10,000,000, last. Same order as {@link BenchConfig#SCENARIOS}.
     */
    static List<Scenario> scenarios() {
        return List.of(
                new CopyBaseline(),
                new HttpBatch(),
                new Single(),
                new Steady(),
                new Aggregate(),
                new KafkaRoundTrip(),
                new BigTotals());
    }

    private static void configureJvm() {
        // The JDK HttpClient completes every sendAsync future through CompletableFuture's default
        // executor. With fewer than 3 cores the common pool's parallelism is 1, and that executor is
        // then a NEW THREAD PER TASK: the steady scenario started 1,000 threads a second (JFR: 35,000
        // thread starts in 35 s), which on this 2-core machine delayed the client's own responses
        // and feed polls by up to seconds after the batch scenario. Two workers make it the pool.
        if (System.getProperty("java.util.concurrent.ForkJoinPool.common.parallelism") == null) {
            System.setProperty("java.util.concurrent.ForkJoinPool.common.parallelism", "2");
        }
        if (ForkJoinPool.getCommonPoolParallelism() < 2) {
            System.out.println("WARNING: the common pool's parallelism is "
                    + ForkJoinPool.getCommonPoolParallelism()
                    + ": the steady scenario's sendAsync starts a thread per response (it mismeasures on few cores)");
        }
        // The Kafka clients log through SLF4J (slf4j-simple): their warnings, not their configuration dumps.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
}
