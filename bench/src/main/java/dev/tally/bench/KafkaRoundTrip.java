package dev.tally.bench;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Kafka in -> PostgreSQL -> Kafka out: the generator's items produced to the records topic as
 * fast as an idempotent producer goes (key = destinationId, so every copy of a recordId follows
 * its original in one partition and every outcome is known in advance); read_committed readers
 * of the outputs count until every expected notification is in. Rate = accepted records /
 * (first send -> last notification read).
 */
final class KafkaRoundTrip implements Scenario {

    /** The scenario gives up when no expected output message arrived for this long. */
    static final Duration STALL = Duration.ofMinutes(2);

    private static final String ROW = "Kafka records -> PostgreSQL -> Kafka notifications";

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public void run(BenchRun bench) throws Exception {
        try {
            measure(bench);
        } catch (IllegalStateException e) { // the broker or the service's Kafka side is not there
            System.out.println("  FAIL: kafka scenario: " + e.getMessage());
            bench.report().add(new Report.Row(ROW, "not measured", "-", "-", "-", "FAIL", e.getMessage()), false);
        }
    }

    /** What the producer did: when it finished, its first error, and where each bad item landed. */
    private static final class Sent {
        /** Where each invalid item and conflict landed on the records topic: its dead letter must name it. */
        final Map<String, String> bad = new ConcurrentHashMap<>();

        final AtomicReference<Exception> error = new AtomicReference<>();
        double seconds;
    }

    private static void measure(BenchRun bench) throws Exception {
        int items = bench.config().kafkaItems();
        Generator g = new Generator(bench.config().mixed(bench.config().batch()), "k");
        Expectation.Scenario expected = bench.expectation().add(g, items);
        Feeds.Start feedStart = bench.feeds().start();
        try (KafkaDriver kafka = new KafkaDriver(bench.config().kafka())) {
            String notReady = kafka.awaitReady(Duration.ofMinutes(2));
            if (!notReady.isEmpty()) {
                throw new IllegalStateException("Tally's Kafka side is not ready: " + notReady);
            }
            kafka.awaitRelay(feedStart.notifications(), feedStart.alerts());
            Metrics before = bench.metrics();
            bench.rss().reset();
            Progress progress = new Progress("kafka", expected.accepted);
            KafkaDriver.Outputs outputs = new KafkaDriver.Outputs(
                    kafka,
                    g.prefix() + "-",
                    (int) expected.accepted,
                    expected.alertIds.size(),
                    (int) (expected.invalid + expected.conflict),
                    STALL,
                    progress);
            Thread reader = Threads.start(outputs);
            long start = System.nanoTime();
            Sent sent = produce(kafka, g, items, start);
            if (sent.error.get() != null) {
                outputs.stop = true;
            }
            reader.join();
            progress.done();
            long end = outputs.lastNotificationNs;
            double seconds = (end > 0 ? end - start : System.nanoTime() - start) / 1e9;
            long rss = bench.rss().peakKb();
            Metrics after = bench.metrics();
            boolean pass = verifyOutputs(outputs, sent, expected);
            pass &= verifyCounts(before, after, expected, items);
            pass &= bench.feeds().verify(expected, feedStart);
            Figures figures = new Figures(items, sent.seconds, seconds, rss, before, after);
            bench.report().add(row(bench, expected, figures, pass), pass);
        }
    }

    private static Sent produce(KafkaDriver kafka, Generator g, int items, long start) {
        Sent sent = new Sent();
        try (KafkaProducer<String, byte[]> producer = kafka.producer()) {
            for (int i = 0; i < items && sent.error.get() == null; i++) {
                Generator.Item it = g.item(i);
                String reason = switch (it.kind()) {
                    case INVALID -> "invalid";
                    case CONFLICT -> "conflict";
                    default -> null;
                };
                var unused = producer.send(
                        new ProducerRecord<>(KafkaDriver.RECORDS, it.destinationId(), it.jsonBytes()), (md, e) -> {
                            if (e != null) {
                                sent.error.compareAndSet(null, e);
                            } else if (reason != null) {
                                sent.bad.put(md.partition() + "/" + md.offset(), reason);
                            }
                        });
            }
            producer.flush();
        }
        sent.seconds = Fmt.secondsSince(start);
        return sent;
    }

    /** Exactly once on every output topic, every dead letter at its original's offset. */
    private static boolean verifyOutputs(KafkaDriver.Outputs outputs, Sent sent, Expectation.Scenario expected) {
        boolean pass = true;
        if (sent.error.get() != null) {
            System.out.println("  FAIL: producing the records: " + sent.error.get());
            pass = false;
        }
        if (outputs.error != null) {
            System.out.println("  FAIL: reading the outputs: " + outputs.error);
            pass = false;
        }
        pass &= verifyTopic(
                KafkaDriver.NOTIFICATIONS,
                outputs.notifications,
                outputs.repeatedNotifications,
                expected.notificationIds);
        pass &= verifyTopic(KafkaDriver.ALERTS, outputs.alerts, outputs.repeatedAlerts, expected.alertIds);
        pass &= verifyDeadLetters(outputs, sent, expected);
        if (outputs.unreadable > 0) {
            System.out.println("  FAIL: " + outputs.unreadable + " output messages without a messageId header");
            pass = false;
        }
        return pass;
    }

    private static boolean verifyTopic(String topic, Set<String> got, long repeats, Set<String> want) {
        boolean ok = repeats == 0 && got.equals(want);
        if (!ok) {
            long missing = want.stream().filter(id -> !got.contains(id)).count();
            long strangers = got.stream().filter(id -> !want.contains(id)).count();
            System.out.printf(
                    Locale.ROOT,
                    "  FAIL: topic %s: %,d missing, %,d unexpected, %,d repeated%n",
                    topic,
                    missing,
                    strangers,
                    repeats);
        }
        System.out.printf(
                Locale.ROOT,
                "  verify kafka %s: %s (%,d messages, read_committed)%n",
                topic,
                Report.verdict(ok),
                got.size());
        return ok;
    }

    private static boolean verifyDeadLetters(KafkaDriver.Outputs outputs, Sent sent, Expectation.Scenario expected) {
        long invalid =
                outputs.deadLetters.values().stream().filter("invalid"::equals).count();
        long conflicts =
                outputs.deadLetters.values().stream().filter("conflict"::equals).count();
        boolean ok =
                outputs.deadLetters.equals(sent.bad) && invalid == expected.invalid && conflicts == expected.conflict;
        System.out.printf(
                Locale.ROOT,
                "  verify kafka %s: %s (invalid %,d/%,d conflict %,d/%,d, each at its"
                        + " original's offset; %,d written twice)%n",
                KafkaDriver.DEAD_LETTER,
                Report.verdict(ok),
                invalid,
                expected.invalid,
                conflicts,
                expected.conflict,
                outputs.repeatedDeadLetters);
        return ok;
    }

    /**
     * The service's own counts: accepted exactly; a batch re-delivered to the listener (a
     * rebalance) makes its records duplicates, so those two may only be higher.
     */
    private static boolean verifyCounts(Metrics before, Metrics after, Expectation.Scenario expected, int items) {
        long accepted = after.delta(before, "tally_records_processed_total", "outcome=\"accepted\"");
        long duplicates = after.delta(before, "tally_records_processed_total", "outcome=\"duplicate\"");
        long conflicted = after.delta(before, "tally_records_processed_total", "outcome=\"conflict\"");
        long received = after.delta(before, "tally_kafka_records_received_total", "");
        boolean ok = accepted == expected.accepted
                && duplicates >= expected.duplicate
                && conflicted >= expected.conflict
                && received >= items;
        System.out.printf(
                Locale.ROOT,
                "  verify kafka counts (service metrics): %s (accepted %,d/%,d duplicate"
                        + " %,d/%,d conflict %,d/%,d received %,d/%,d)%n",
                Report.verdict(ok),
                accepted,
                expected.accepted,
                duplicates,
                expected.duplicate,
                conflicted,
                expected.conflict,
                received,
                items);
        return ok;
    }

    /** What the row shows: produced for {@code sendSeconds}, last notification after {@code seconds}. */
    private record Figures(int items, double sendSeconds, double seconds, long rss, Metrics before, Metrics after) {}

    private static Report.Row row(BenchRun bench, Expectation.Scenario expected, Figures f, boolean pass) {
        Metrics before = f.before();
        Metrics after = f.after();
        long transactions = after.delta(before, "tally_processing_transaction_records_count", "");
        long merged = after.delta(before, "tally_processing_transaction_records_sum", "");
        long txSeconds = after.delta(before, "tally_processing_transaction_seconds_sum", "");
        long received = after.delta(before, "tally_kafka_records_received_total", "");
        double rate = expected.accepted / f.seconds();
        String ratio = bench.copy()
                .map(c -> String.format(Locale.ROOT, "%.2f x COPY", rate / (c.rows() / c.seconds())))
                .orElse("-");
        return new Report.Row(
                ROW,
                Fmt.rate(rate) + " rec/s",
                "-",
                Fmt.mb(f.rss()),
                ratio + " (target >= 0.5)",
                Report.verdict(pass),
                String.format(
                        Locale.ROOT,
                        "%,d items (%,d accepted) produced in %.1f s, last notification read"
                                + " after %.1f s; %,d transactions of %,.0f records on average, writer busy %d s;"
                                + " %,d input messages re-delivered; ratio = accepted/s over COPY rows/s",
                        f.items(),
                        expected.accepted,
                        f.sendSeconds(),
                        f.seconds(),
                        transactions,
                        merged / (double) Math.max(1, transactions),
                        txSeconds,
                        received - f.items()));
    }
}
