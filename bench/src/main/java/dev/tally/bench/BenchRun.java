package dev.tally.bench;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * What the scenarios of one run share: the settings, the service's API and database, the probes,
 * the expectation (cumulative: the stored totals grow scenario by scenario) and the report.
 */
final class BenchRun {

    /** The COPY baseline's figures, which the batch and Kafka rows compare with. */
    record CopyTime(long rows, double seconds) {}

    private final BenchConfig config;
    private final Http http;
    private final Feeds feeds;
    private final ServiceDatabase database;
    private final PeakRss rss;
    private final Expectation expectation;
    private final Report report = new Report();
    private Optional<CopyTime> copy = Optional.empty();

    BenchRun(BenchConfig config) {
        this.config = config;
        this.http = new Http(config.url());
        this.feeds = new Feeds(http);
        this.database = new ServiceDatabase(config.jdbc());
        this.rss = new PeakRss(config.pid());
        this.expectation = new Expectation(config.times());
        report.describe(config.times().describe());
    }

    BenchConfig config() {
        return config;
    }

    Http http() {
        return http;
    }

    Feeds feeds() {
        return feeds;
    }

    ServiceDatabase database() {
        return database;
    }

    PeakRss rss() {
        return rss;
    }

    Expectation expectation() {
        return expectation;
    }

    Report report() {
        return report;
    }

    Optional<CopyTime> copy() {
        return copy;
    }

    void copied(CopyTime time) {
        copy = Optional.of(time);
    }

    Metrics metrics() throws IOException, InterruptedException {
        return Metrics.read(http);
    }

    /** The batch scenario's items; the COPY baseline stores the originals among the same items. */
    Generator batchGenerator() {
        return new Generator(config.mixed(config.batch()), "b");
    }

    /**
     * With Kafka on, the relay publishes what the previous scenario wrote while the next one runs:
     * a backlog of up to a million messages rendered and sent on the same 2 cores. Each HTTP
     * scenario after the first starts once that backlog is published, so it measures its own
     * steady state (the relay then publishes only the scenario's own messages, as in production).
     */
    void awaitRelayIfKafka() throws IOException, InterruptedException {
        if (!config.runs("kafka")) {
            return;
        }
        long start = System.nanoTime();
        try (KafkaDriver kafka = new KafkaDriver(config.kafka())) {
            kafka.awaitRelay(feeds.lastSeq(Feeds.NOTIFICATIONS), feeds.lastSeq(Feeds.ALERTS));
        }
        System.out.printf(Locale.ROOT, "  the relay's backlog was published in %.1f s%n", Fmt.secondsSince(start));
    }
}
