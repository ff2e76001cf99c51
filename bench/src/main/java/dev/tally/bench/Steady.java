package dev.tally.bench;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Steady rate: single-record POSTs scheduled at {@code steadyRate}/s, open loop; a poller reads
 * the notification feed, and the latency is scheduled send -> notification read. A few seconds at
 * the same rate first, verified but not measured: the latency target is for the steady state, not
 * for the JIT's first compilation of the one-record path.
 */
final class Steady implements Scenario {

    /** Requests the driver lets wait for an answer at once. */
    static final int MAX_IN_FLIGHT = 1_000;

    private static final long START_DELAY_NS = 200_000_000L;
    private static final long NOTIFICATION_WAIT_NS = 30_000_000_000L;

    @Override
    public String name() {
        return "steady";
    }

    @Override
    public void run(BenchRun bench) throws Exception {
        bench.awaitRelayIfKafka();
        BenchConfig config = bench.config();
        new Run(bench, new Generator(config.originals(1000), "lw"), config.steadyWarmUpSeconds(), true).execute();
        new Run(bench, new Generator(config.originals(1000), "l"), config.steadySeconds(), false).execute();
    }

    /** One steady run: the warm-up or the measured one. */
    private static final class Run {
        private final BenchRun bench;
        private final Generator g;
        private final int rate;
        private final int seconds;
        private final boolean warmUp;
        private final int items;
        private final String prefix;
        private final Errors errors = new Errors();
        private final PollTimes polls = new PollTimes();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        private final Progress progress;
        private SteadyTimes times;

        Run(BenchRun bench, Generator g, int seconds, boolean warmUp) {
            this.bench = bench;
            this.g = g;
            this.rate = bench.config().steadyRate();
            this.seconds = seconds;
            this.warmUp = warmUp;
            this.items = rate * seconds;
            this.prefix = g.prefix() + "-";
            this.progress = new Progress((warmUp ? "steady warm-up " : "steady ") + rate + "/s", items);
        }

        void execute() throws Exception {
            Expectation.Scenario expected = bench.expectation().add(g, items);
            Feeds.Start feedStart = bench.feeds().start();
            bench.rss().reset();
            Metrics before = bench.metrics();
            BackgroundWork background = BackgroundWork.start(bench.config().jdbc());
            TcpCounters tcpBefore = TcpCounters.read();
            times = new SteadyTimes(items, START_DELAY_NS);
            Thread poller = Threads.start(() -> poll(feedStart.notifications()));
            send();
            awaitNotifications();
            stop.set(true); // stops the poller if it is still waiting
            poller.join();
            progress.done();
            String backgroundSeen = background.stop();
            if (!warmUp) {
                SteadyDiagnostics.print(times, before, bench.metrics(), backgroundSeen);
                SteadyDiagnostics.writeTimes(times, bench.config().out());
                System.out.println("  feed poller: " + polls + "; TCP (whole machine) "
                        + TcpCounters.read().since(tcpBefore));
            }
            long rss = bench.rss().peakKb();
            boolean pass = verify(expected, feedStart);
            report(rss, pass);
        }

        /** The poller: reads the notification feed from {@code after}, keeps the run's messages. */
        private void poll(long after) {
            try {
                while (!times.allSeen() && !stop.get()) {
                    long pollStart = System.nanoTime();
                    Http.Page page = bench.http().feed(Feeds.NOTIFICATIONS, after, 10_000);
                    long now = System.nanoTime();
                    polls.add(pollStart - times.t0, now - pollStart);
                    for (Http.Message m : page.messages()) {
                        if (m.messageId().startsWith(prefix)) {
                            times.read(Integer.parseInt(m.messageId().substring(prefix.length())), now);
                        }
                    }
                    after = page.next();
                    if (page.messages().isEmpty()) {
                        Thread.sleep(2);
                    }
                }
            } catch (Throwable e) {
                errors.add(e);
            }
        }

        /**
         * Open loop: one thread sends at the scheduled times with sendAsync; at most MAX_IN_FLIGHT
         * requests wait for answers (beyond that the sender waits, and the lateness is counted).
         */
        private void send() throws InterruptedException {
            long periodNs = 1_000_000_000L / rate;
            for (int i = 0; i < items && errors.isEmpty(); i++) {
                long at = times.t0 + i * periodNs;
                long wait;
                while ((wait = at - System.nanoTime()) > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                inFlight.acquire();
                // Latency counts from the scheduled send time, so a late send cannot hide it.
                times.scheduledNs.set(i, at);
                sendOne(i);
            }
            inFlight.acquire(MAX_IN_FLIGHT); // every answer is in
        }

        private void sendOne(int i) {
            byte[] body = g.item(i).jsonBytes();
            times.sentNs.set(i, System.nanoTime());
            var unused = bench.http().postAsync("/v1/records", body, prefix + i).whenComplete((r, e) -> {
                times.answeredNs.set(i, System.nanoTime());
                inFlight.release();
                if (e != null || r.statusCode() != 201) {
                    errors.add(e != null ? e : new IOException("steady " + i + " -> " + r.statusCode()));
                }
                progress.add(1);
            });
        }

        private void awaitNotifications() throws InterruptedException {
            long deadline = System.nanoTime() + NOTIFICATION_WAIT_NS;
            while (!times.allSeen() && errors.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }

        private boolean verify(Expectation.Scenario expected, Feeds.Start feedStart)
                throws IOException, InterruptedException {
            boolean pass = errors.report();
            long missing = times.missing();
            if (missing > 0) {
                System.out.println("  FAIL: " + missing + " notifications not seen");
                pass = false;
            }
            boolean feeds = bench.feeds().verify(expected, feedStart);
            return pass && feeds;
        }

        private void report(long rss, boolean pass) {
            long p50 = Fmt.pctNs(times.latencyNs, 50);
            long p99 = Fmt.pctNs(times.latencyNs, 99);
            if (warmUp) {
                System.out.printf(
                        Locale.ROOT,
                        "  warm-up (not in the table): %,d records, p50 %s, p99 %s, %s%n",
                        items,
                        Fmt.ms(p50),
                        Fmt.ms(p99),
                        Report.verdict(pass));
                bench.report().verified(pass);
                return;
            }
            bench.report()
                    .add(
                            new Report.Row(
                                    "Steady " + rate + " rec/s, send -> notification",
                                    rate + " rec/s offered",
                                    Fmt.ms(p50) + " / " + Fmt.ms(p99) + " (notification)",
                                    Fmt.mb(rss),
                                    p99 <= SteadyTimes.LATE_NS ? "met (p99 <= 100 ms)" : "NOT met (p99 <= 100 ms)",
                                    Report.verdict(pass),
                                    String.format(
                                            Locale.ROOT,
                                            "%,d records over %d s after a %d s warm-up at the same rate; feed"
                                                    + " polled every <= 2 ms",
                                            items,
                                            seconds,
                                            bench.config().steadyWarmUpSeconds())),
                            pass);
        }
    }
}
