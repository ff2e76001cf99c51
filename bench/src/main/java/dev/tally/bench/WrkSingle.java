package dev.tally.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * HTTP one record per request, driven by {@code wrk} (Debian's package) for {@code singleSeconds}:
 * {@code wrkThreads} threads, {@code clients} connections, every request a new valid record
 * ({@link WrkRecords}). A client in C whose CPU is printed beside the service's, so that the figure
 * is the service's and not the client's (the JDK HttpClient driver, {@code singleDriver=jdk}, used
 * about half a core for 1.5k requests/s).
 *
 * <p>Verified after the run, once the service has settled: every request wrk counted as 201 is a
 * stored record equal to the one sent; every stored record of the run was sent (those beyond the
 * 201s were in flight when wrk stopped); no status but 201, no socket error; exactly one
 * notification per stored record and an alert for each above the threshold, nothing repeated; the
 * records are added to the expectation, so the later totals checks include them.
 */
final class WrkSingle implements Scenario {

    /** Requests slower than this are wrk timeouts (its default, 2 s, is short on a loaded machine). */
    private static final int TIMEOUT_SECONDS = 10;

    /** Beyond the run's own duration: wrk's start, its threads' stop and done(). */
    private static final long EXIT_GRACE_SECONDS = 60;

    private static final long SETTLE_QUIET_MS = 1_000;
    private static final long SETTLE_TIMEOUT_MS = 60_000;

    @Override
    public String name() {
        return "single";
    }

    @Override
    public void run(BenchRun bench) throws Exception {
        bench.awaitRelayIfKafka();
        BenchConfig config = bench.config();
        WrkRecords records = new WrkRecords(config.originals(1000));
        String label = String.format(
                Locale.ROOT,
                "HTTP single (wrk, %d threads, %d connections, %d s)",
                config.wrkThreads(),
                config.clients(),
                config.singleSeconds());
        Path script = Files.createTempFile("tally-wrk-", ".lua");
        try {
            Files.writeString(script, records.script());
            Feeds.Start feedStart = bench.feeds().start();
            bench.rss().reset();
            double serviceCpuBefore = ProcessCpu.seconds(config.pid());
            ProcessCpu.Group backends = new ProcessCpu.Group(bench.database().backendPids());
            Output out;
            try {
                out = wrk(config, script);
            } catch (IOException e) {
                System.out.println("  FAIL: wrk did not run (" + e.getMessage()
                        + "); install it (apt-get install wrk; bench/run.sh does) or use singleDriver=jdk");
                bench.report().add(new Report.Row(label, "not measured", "-", "-", "-", "FAIL", "wrk missing"), false);
                return;
            } catch (IllegalStateException e) { // wrk failed, hung, or its script's output was not whole
                System.out.println("  FAIL: " + e.getMessage());
                bench.report().add(new Report.Row(label, "not measured", "-", "-", "-", "FAIL", e.getMessage()), false);
                return;
            }
            double serviceCpu = serviceCpuBefore < 0 ? -1 : ProcessCpu.seconds(config.pid()) - serviceCpuBefore;
            double databaseCpu = backends.since(bench.database().backendPids());
            long rss = bench.rss().peakKb();
            Verdict v = verify(bench, records, out, feedStart);
            bench.report().add(row(label, out, v, new ServerCpu(serviceCpu, databaseCpu), rss), v.pass);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /** Runs wrk to the end and parses what its script printed. */
    private static Output wrk(BenchConfig config, Path script) throws IOException, InterruptedException {
        List<String> command = List.of(
                "wrk",
                "-t" + config.wrkThreads(),
                "-c" + config.clients(),
                "-d" + config.singleSeconds() + "s",
                "--timeout",
                TIMEOUT_SECONDS + "s",
                "--latency",
                "-s",
                script.toString(),
                config.url());
        System.out.println("  " + String.join(" ", command));
        Path log = Files.createTempFile("tally-wrk-", ".out");
        try {
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!p.waitFor(config.singleSeconds() + EXIT_GRACE_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("wrk did not exit within " + EXIT_GRACE_SECONDS + " s of its run");
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            lines.stream().filter(l -> !l.startsWith("tally ")).forEach(l -> System.out.println("  | " + l));
            if (p.exitValue() != 0) {
                throw new IllegalStateException("wrk exited with " + p.exitValue());
            }
            return Output.parse(lines);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /**
     * What the script's {@code done()} printed: per thread the requests sent and those not
     * answered 201 ({@code pending}), statuses, wrk's summary (microseconds), latency percentiles
     * (microseconds) and wrk's CPU ticks (-1: not read).
     */
    record Output(
            Map<Integer, Long> sent,
            Map<Integer, Set<Long>> pending,
            Map<Integer, Long> statuses,
            long durationUs,
            long requests,
            long socketErrors,
            long p50Us,
            long p99Us,
            long maxUs,
            long cpuTicks) {

        static Output parse(List<String> lines) {
            Map<Integer, Long> sent = new TreeMap<>();
            Map<Integer, Set<Long>> pending = new TreeMap<>();
            Map<Integer, Long> statuses = new TreeMap<>();
            long[] summary = null;
            long[] latency = null;
            long cpu = -1;
            for (String line : lines) {
                if (!line.startsWith("tally ")) {
                    continue;
                }
                String[] f = line.trim().split(" ");
                switch (f[1]) {
                    case "thread" -> {
                        int thread = Integer.parseInt(f[2]);
                        sent.put(thread, Long.parseLong(f[4]));
                        Set<Long> ids = new HashSet<>();
                        if (f.length > 7) {
                            for (String n : f[7].split(",")) {
                                ids.add(Long.parseLong(n));
                            }
                        }
                        if (ids.size() != Long.parseLong(f[6])) {
                            throw new IllegalStateException("wrk thread " + thread + ": " + f[6]
                                    + " requests not answered 201, too many to list");
                        }
                        pending.put(thread, ids);
                    }
                    case "status" -> statuses.merge(Integer.parseInt(f[2]), Long.parseLong(f[3]), Long::sum);
                    case "summary" -> summary = longs(f, 2);
                    case "latency" -> latency = longs(f, 2);
                    case "cpu" -> cpu = Long.parseLong(f[2]) + Long.parseLong(f[3]);
                    default -> throw new IllegalStateException("unknown line of the wrk script: " + line);
                }
            }
            if (summary == null || latency == null || sent.isEmpty()) {
                throw new IllegalStateException("the wrk script printed no summary: " + lines);
            }
            long socketErrors = summary[2] + summary[3] + summary[4] + summary[6];
            return new Output(
                    sent,
                    pending,
                    statuses,
                    summary[0],
                    summary[1],
                    socketErrors,
                    latency[0],
                    latency[1],
                    latency[2],
                    cpu);
        }

        private static long[] longs(String[] f, int from) {
            long[] v = new long[f.length - from];
            for (int i = from; i < f.length; i++) {
                v[i - from] = Long.parseLong(f[i]);
            }
            return v;
        }

        long created() {
            return statuses.getOrDefault(201, 0L);
        }

        long pendingCount() {
            return pending.values().stream().mapToLong(Set::size).sum();
        }

        long sentCount() {
            return sent.values().stream().mapToLong(Long::longValue).sum();
        }

        double seconds() {
            return durationUs / 1e6;
        }
    }

    /** The outcome of the checks, and how many stored records wrk had not seen answered. */
    private record Verdict(boolean pass, long storedInFlight) {}

    private static Verdict verify(BenchRun bench, WrkRecords records, Output out, Feeds.Start feedStart)
            throws Exception {
        boolean pass = true;
        Map<Integer, Long> other = new TreeMap<>(out.statuses());
        other.remove(201);
        if (!other.isEmpty()) {
            System.out.println("  FAIL: statuses other than 201 (every request is a new valid record): " + other);
            pass = false;
        }
        if (out.socketErrors() > 0) {
            System.out.printf(Locale.ROOT, "  FAIL: %,d socket errors or timeouts in wrk%n", out.socketErrors());
            pass = false;
        }
        if (out.created() != out.sentCount() - out.pendingCount()) {
            System.out.printf(
                    Locale.ROOT,
                    "  FAIL: %,d answers 201 but %,d requests matched to one by the recordId in its body%n",
                    out.created(),
                    out.sentCount() - out.pendingCount());
            pass = false;
        }
        String prefix = WrkRecords.PREFIX + "-";
        if (!bench.database().awaitSettled(prefix, SETTLE_QUIET_MS, SETTLE_TIMEOUT_MS)) {
            System.out.println(
                    "  FAIL: the service still stored records " + SETTLE_TIMEOUT_MS / 1000 + " s after wrk stopped");
            pass = false;
        }
        List<Generator.Item> stored = new ArrayList<>();
        long answered = 0;
        int problems = 0;
        for (ServiceDatabase.StoredRecord r : bench.database().recordsWithPrefix(prefix)) {
            String[] idParts = r.recordId().split("-");
            int thread = Integer.parseInt(idParts[1]);
            long n = Long.parseLong(idParts[2]);
            if (n < 1 || n > out.sent().getOrDefault(thread, 0L)) {
                if (problems++ < 3) {
                    System.out.println("  FAIL: stored " + r.recordId() + ", which wrk never sent");
                }
                continue;
            }
            Generator.Item sent = records.item(stored.size(), thread, n);
            if (!same(r, sent) && problems++ < 3) {
                System.out.println("  FAIL: stored " + r + " differs from the record sent: " + sent.json());
            }
            stored.add(sent);
            if (!out.pending().get(thread).contains(n)) {
                answered++;
            }
        }
        pass &= problems == 0;
        long acked = out.sentCount() - out.pendingCount();
        if (answered != acked) {
            System.out.printf(Locale.ROOT, "  FAIL: %,d records answered 201, %,d of them stored%n", acked, answered);
            pass = false;
        }
        System.out.printf(
                Locale.ROOT,
                "  verify single: %s (%,d sent, %,d answered 201, all stored and equal to what was sent;"
                        + " %,d unanswered when wrk stopped, %,d of those stored)%n",
                Report.verdict(pass),
                out.sentCount(),
                acked,
                out.pendingCount(),
                stored.size() - answered);
        Expectation.Scenario expected = bench.expectation().add(stored::get, stored.size());
        pass &= bench.feeds().verify(expected, feedStart);
        return new Verdict(pass, stored.size() - answered);
    }

    private static boolean same(ServiceDatabase.StoredRecord r, Generator.Item sent) {
        return r.time().equals(sent.time())
                && r.destinationId().equals(sent.destinationId())
                && r.type().equals(sent.positive() ? "positive" : "negative")
                && r.amount().compareTo(sent.value()) == 0
                && r.unit().equals(sent.unit())
                && r.reference().equals(sent.reference());
    }

    /** The service's and its database backends' CPU seconds over the run (-1: not read). */
    private record ServerCpu(double service, double database) {}

    private static Report.Row row(String label, Output out, Verdict v, ServerCpu cpu, long rss) {
        double rate = out.created() / out.seconds();
        double p99Ms = out.p99Us() / 1e3;
        boolean met = rate >= 15_000 && p99Ms <= 25;
        double clientCpu = out.cpuTicks() < 0 ? -1 : ProcessCpu.ticksToSeconds(out.cpuTicks());
        return new Report.Row(
                label,
                Fmt.rate(rate) + " created/s",
                String.format(Locale.ROOT, "%.1f ms / %.1f ms (wrk)", out.p50Us() / 1e3, p99Ms),
                Fmt.mb(rss),
                (met ? "met" : "NOT met") + " (>= 15,000/s, p99 <= 25 ms)",
                Report.verdict(v.pass()),
                String.format(
                        Locale.ROOT,
                        "%,d created in %.1f s; CPU: client (wrk) %s, service %s, its PostgreSQL backends %s;"
                                + " %,d in flight at the end (%,d of them stored)",
                        out.created(),
                        out.seconds(),
                        cpu(clientCpu, out.seconds()),
                        cpu(cpu.service(), out.seconds()),
                        cpu(cpu.database(), out.seconds()),
                        out.pendingCount(),
                        v.storedInFlight()));
    }

    private static String cpu(double seconds, double over) {
        return seconds < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f s (%.2f cores)", seconds, seconds / over);
    }
}
