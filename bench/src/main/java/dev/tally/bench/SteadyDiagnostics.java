package dev.tally.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a steady run's tail comes from: how the slow notifications spread over the run (one
 * stall or everywhere), the service's GC pauses and slowest transaction, the database's
 * background work (checkpoints, autovacuum) in the same window, and each late notification's
 * time split into its stages.
 */
final class SteadyDiagnostics {

    private SteadyDiagnostics() {}

    static void print(SteadyTimes times, Metrics before, Metrics after, String backgroundSeen) {
        serviceLine(before, after);
        tailLine(times, after, before, backgroundSeen);
        lateStages(times);
    }

    /**
     * The service's own view of the same window, as means (the maxima of the tail line span two
     * minutes, so they include the previous scenario): its request time for POST /v1/records, the
     * wait for the writer, and the transactions.
     */
    private static void serviceLine(Metrics before, Metrics after) {
        double requests = after.deltaLabelled(before, "http_server_requests_seconds_count", "uri=\"/v1/records\"");
        double requestSeconds = after.deltaLabelled(before, "http_server_requests_seconds_sum", "uri=\"/v1/records\"");
        double waits = after.deltaExact(before, "tally_processing_queue_wait_seconds_count");
        double waitSeconds = after.deltaExact(before, "tally_processing_queue_wait_seconds_sum");
        double transactions = after.deltaExact(before, "tally_processing_transaction_seconds_count");
        double transactionSeconds = after.deltaExact(before, "tally_processing_transaction_seconds_sum");
        System.out.printf(
                Locale.ROOT,
                "  service, this run: POST /v1/records %,.0f answered, mean %.1f ms in the service;"
                        + " wait for the writer mean %.1f ms; %,.0f transactions, mean %.1f ms, writer busy %.1f s%n",
                requests,
                requests == 0 ? 0 : requestSeconds * 1000 / requests,
                waits == 0 ? 0 : waitSeconds * 1000 / waits,
                transactions,
                transactions == 0 ? 0 : transactionSeconds * 1000 / transactions,
                transactionSeconds);
    }

    private static void tailLine(SteadyTimes times, Metrics after, Metrics before, String backgroundSeen) {
        int slow = 0;
        Map<Long, Integer> slowBySecond = new TreeMap<>();
        long max = 0;
        for (int i = 0; i < times.items; i++) {
            max = Math.max(max, times.latencyNs[i]);
            if (times.latencyNs[i] > SteadyTimes.LATE_NS) {
                slow++;
                slowBySecond.merge(times.second(i), 1, Integer::sum);
            }
        }
        StringBuilder seconds = new StringBuilder();
        slowBySecond.forEach((second, n) -> seconds.append(seconds.isEmpty() ? "" : ", ")
                .append(second)
                .append("s:")
                .append(n));
        System.out.printf(
                Locale.ROOT,
                "  steady diagnostics (second 0 = %s): %,d notifications over 100 ms (by second: %s);"
                        + " max %s; service GC %.0f pauses, %.0f ms in all, longest %.0f ms (2-min window); slowest write"
                        + " transaction %.0f ms, longest wait for the writer %.0f ms (2-min window); database background work"
                        + " seen: %s%n",
                times.wallStart,
                slow,
                seconds.isEmpty() ? "none" : seconds,
                Fmt.ms(max),
                after.deltaExact(before, "jvm_gc_pause_seconds_count"),
                after.deltaExact(before, "jvm_gc_pause_seconds_sum") * 1000,
                after.max("jvm_gc_pause_seconds_max") * 1000,
                after.get("tally_processing_transaction_seconds_max") * 1000,
                after.get("tally_processing_queue_wait_seconds_max") * 1000,
                backgroundSeen);
    }

    /**
     * Where the notifications over 100 ms spent their time, as a partition of scheduled -> read:
     * "send" = scheduled -> the client's {@code sendAsync} call (the bench's own lateness), "answer" =
     * sent -> the response (or the read, if the notification was read first: the service, the
     * network and the client's connection handling), "feed" = the rest (the answer was in, the
     * poller had not read it yet). Printed for the whole run and for each second with late ones.
     */
    private static void lateStages(SteadyTimes times) {
        Map<Long, long[]> bySecond = new TreeMap<>(); // second -> count, send, answer, feed (ns)
        long[] all = new long[4];
        long[] max = new long[3];
        for (int i = 0; i < times.items; i++) {
            if (times.latencyNs[i] <= SteadyTimes.LATE_NS) {
                continue;
            }
            long[] stage = stages(times, i);
            long[] sec = bySecond.computeIfAbsent(times.second(i), k -> new long[4]);
            sec[0]++;
            all[0]++;
            for (int k = 0; k < 3; k++) {
                sec[k + 1] += stage[k];
                all[k + 1] += stage[k];
                max[k] = Math.max(max[k], stage[k]);
            }
        }
        if (all[0] == 0) {
            return;
        }
        StringBuilder seconds = new StringBuilder();
        bySecond.forEach((second, v) -> seconds.append(seconds.isEmpty() ? "" : ", ")
                .append(second)
                .append("s:")
                .append(stageMeans(v)));
        System.out.printf(
                Locale.ROOT,
                "  late notifications by stage, mean send/answer/feed ms (max %.0f/%.0f/%.0f):"
                        + " all %s; by second: %s%n",
                max[0] / 1e6,
                max[1] / 1e6,
                max[2] / 1e6,
                stageMeans(all),
                seconds);
    }

    /** Item {@code i}'s send, answer and feed stages (ns). */
    private static long[] stages(SteadyTimes times, int i) {
        long scheduled = times.scheduledNs.get(i);
        long read = times.readNs[i];
        long sent = Math.min(times.sentNs.get(i), read);
        long answered = times.answeredNs.get(i) == 0 ? read : Math.min(times.answeredNs.get(i), read);
        return new long[] {sent - scheduled, answered - sent, read - answered};
    }

    private static String stageMeans(long[] v) {
        return String.format(
                Locale.ROOT, "%d x %.0f/%.0f/%.0f", v[0], v[1] / 1e6 / v[0], v[2] / 1e6 / v[0], v[3] / 1e6 / v[0]);
    }

    /**
     * Every item's times as epoch microseconds (scheduled, sent, answered, read), for matching
     * against the service's access log ({@code X-Request-Id}): steady-times.csv beside {@code out}
     * (nothing when {@code out} is empty).
     */
    static void writeTimes(SteadyTimes times, String out) throws IOException {
        if (out.isEmpty()) {
            return;
        }
        long epochUsAtT0 = times.wallStart.getEpochSecond() * 1_000_000L + times.wallStart.getNano() / 1_000;
        StringBuilder b = new StringBuilder("item,scheduled_us,sent_us,answered_us,read_us\n");
        for (int i = 0; i < times.items; i++) {
            b.append(i).append(',');
            b.append(epochUsAtT0 + (times.scheduledNs.get(i) - times.t0) / 1000).append(',');
            b.append(epochUsAtT0 + (times.sentNs.get(i) - times.t0) / 1000).append(',');
            b.append(epochUsAtT0 + (times.answeredNs.get(i) - times.t0) / 1000).append(',');
            b.append(epochUsAtT0 + (times.readNs[i] - times.t0) / 1000).append('\n');
        }
        Files.writeString(Path.of(out).resolveSibling("steady-times.csv"), b);
    }
}
