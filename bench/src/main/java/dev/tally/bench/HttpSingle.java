package dev.tally.bench;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** HTTP one record per request, C clients; every copy of a recordId goes through one client. */
final class HttpSingle implements Scenario {

    @Override
    public String name() {
        return "single";
    }

    @Override
    public void run(BenchRun bench) throws Exception {
        bench.awaitRelayIfKafka();
        BenchConfig config = bench.config();
        int items = config.singleItems();
        // Blocks of 1000: copies refer to originals of the same block and are routed to the same
        // client, in order, so every outcome is known in advance.
        Generator g = new Generator(config.mixed(1000), "s");
        Expectation.Scenario expected = bench.expectation().add(g, items);
        Feeds.Start feedStart = bench.feeds().start();
        bench.rss().reset();
        Clients clients = new Clients(bench.http(), g, items, config.clients());
        long start = System.nanoTime();
        clients.run();
        double seconds = Fmt.secondsSince(start);
        clients.progress.done();
        long rss = bench.rss().peakKb();
        boolean pass = clients.errors.isEmpty() && clients.outcomes.verify("single counts", expected);
        pass &= clients.errors.report();
        pass &= bench.feeds().verify(expected, feedStart);
        double rate = items / seconds;
        bench.report()
                .add(
                        new Report.Row(
                                "HTTP single (" + config.clients() + " clients)",
                                Fmt.rate(rate) + " rec/s",
                                Fmt.pct(clients.latenciesNs, 50) + " / " + Fmt.pct(clients.latenciesNs, 99)
                                        + " (request)",
                                Fmt.mb(rss),
                                rate >= 5000 ? "met (>= 5,000/s)" : "NOT met (>= 5,000/s)",
                                Report.verdict(pass),
                                String.format(Locale.ROOT, "%,d items in %.1f s", items, seconds)),
                        pass);
    }

    /** The clients: client c sends the items whose original's index is c modulo the number of clients. */
    private static final class Clients {
        final Http http;
        final Generator g;
        final int items;
        final int count;
        final long[] latenciesNs;
        final Outcomes outcomes = new Outcomes();
        final Errors errors = new Errors();
        final Progress progress;

        Clients(Http http, Generator g, int items, int count) {
            this.http = http;
            this.g = g;
            this.items = items;
            this.count = count;
            this.latenciesNs = new long[items];
            this.progress = new Progress("http single", items);
        }

        void run() throws InterruptedException {
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < count; c++) {
                int client = c;
                threads.add(Threads.start(() -> send(client)));
            }
            Threads.join(threads);
        }

        private void send(int client) {
            long[] mine = new long[4];
            try {
                for (int i = 0; i < items; i++) {
                    Generator.Item it = g.item(i);
                    if (it.originalIndex() % count == client) {
                        mine[outcome(i, it)]++;
                        progress.add(1);
                    }
                }
            } catch (Throwable e) {
                errors.add(e);
            }
            outcomes.add(mine);
        }

        /** Sends one item; its outcome's index in the counts (accepted, duplicate, conflict, invalid). */
        private int outcome(int i, Generator.Item it) throws IOException, InterruptedException {
            long t0 = System.nanoTime();
            HttpResponse<byte[]> r = http.post("/v1/records", it.jsonBytes());
            latenciesNs[i] = System.nanoTime() - t0;
            return switch (r.statusCode()) {
                case 201 -> 0;
                case 200 -> 1;
                case 409 -> 2;
                case 400 -> 3;
                default ->
                    throw new IOException(it.recordId() + " -> " + r.statusCode() + " "
                            + new String(r.body(), StandardCharsets.UTF_8));
            };
        }
    }
}
