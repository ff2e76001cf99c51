package dev.tally.bench;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/** HTTP batch: blocks of {@code batch} items as JSON arrays, {@code senders} concurrent requests. */
final class HttpBatch implements Scenario {

    @Override
    public String name() {
        return "batch";
    }

    @Override
    public void run(BenchRun bench) throws Exception {
        BenchConfig config = bench.config();
        int items = config.records();
        int batch = config.batch();
        Generator g = bench.batchGenerator();
        Expectation.Scenario expected = bench.expectation().add(g, items);
        Feeds.Start feedStart = bench.feeds().start();
        bench.rss().reset();
        Senders senders = new Senders(bench.http(), g, items, batch);
        long start = System.nanoTime();
        senders.run(config.senders());
        long end = System.nanoTime();
        double seconds = (end - start) / 1e9;
        senders.progress.done();
        long rss = bench.rss().peakKb();
        bench.database().awaitFolded(end, "the last batch's answer");
        boolean pass = senders.errors.isEmpty() && senders.outcomes.verify("batch counts", expected);
        pass &= senders.errors.report();
        pass &= bench.feeds().verify(expected, feedStart);
        bench.report().add(row(bench, senders, seconds, rss, pass), pass);
    }

    private static Report.Row row(BenchRun bench, Senders senders, double seconds, long rss, boolean pass) {
        BenchConfig config = bench.config();
        String ratio = bench.copy()
                .map(c -> String.format(Locale.ROOT, "%.2f x COPY", c.seconds() / seconds))
                .orElse("-");
        return new Report.Row(
                "HTTP batch (" + config.batch() + "/request, " + config.senders() + " senders)",
                Fmt.rate(senders.items / seconds) + " rec/s",
                Fmt.pct(senders.latenciesNs, 50) + " / " + Fmt.pct(senders.latenciesNs, 99) + " (request)",
                Fmt.mb(rss),
                ratio + " (target >= 0.5)",
                Report.verdict(pass),
                String.format(
                        Locale.ROOT,
                        "%,d items in %.1f s; stored-rows ratio = COPY time / Tally time",
                        senders.items,
                        seconds));
    }

    /** The senders: each takes the next block until none is left. */
    private static final class Senders {
        final Http http;
        final Generator g;
        final int items;
        final int batch;
        final int blocks;
        final AtomicInteger nextBlock = new AtomicInteger();
        final long[] latenciesNs;
        final Outcomes outcomes = new Outcomes();
        final Errors errors = new Errors();
        final Progress progress;

        Senders(Http http, Generator g, int items, int batch) {
            this.http = http;
            this.g = g;
            this.items = items;
            this.batch = batch;
            this.blocks = (items + batch - 1) / batch;
            this.latenciesNs = new long[blocks];
            this.progress = new Progress("http batch", items);
        }

        void run(int senders) throws InterruptedException {
            List<Thread> threads = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                threads.add(Threads.start(this::send));
            }
            Threads.join(threads);
        }

        private void send() {
            try {
                int b;
                while ((b = nextBlock.getAndIncrement()) < blocks) {
                    sendBlock(b);
                }
            } catch (Throwable e) {
                errors.add(e);
            }
        }

        private void sendBlock(int b) throws IOException, InterruptedException {
            int from = b * batch;
            int to = Math.min(items, from + batch);
            byte[] body = body(from, to);
            long t0 = System.nanoTime();
            HttpResponse<byte[]> r = http.post("/v1/records/batch", body);
            latenciesNs[b] = System.nanoTime() - t0;
            if (r.statusCode() != 200) {
                throw new IOException(
                        "batch " + b + " -> " + r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8));
            }
            outcomes.add(Http.batchCounts(r.body()));
            progress.add(to - from);
        }

        private byte[] body(int from, int to) {
            StringBuilder body = new StringBuilder((to - from) * 240).append('[');
            for (int i = from; i < to; i++) {
                if (i > from) {
                    body.append(',');
                }
                body.append(g.item(i).json());
            }
            return body.append(']').toString().getBytes(StandardCharsets.UTF_8);
        }
    }
}
