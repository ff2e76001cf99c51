package dev.tally.bench;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/** The service's HTTP API as the bench uses it: JDK HttpClient, Jackson streaming to read answers. */
final class Http {

    static final JsonFactory JSON = JsonFactory.builder().build();

    final String base;
    final HttpClient client;

    Http(String base) {
        this.base = base;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    HttpResponse<byte[]> post(String path, byte[] body) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofMinutes(2))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        for (int attempt = 1; ; attempt++) {
            try {
                return client.send(req, HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                // A pooled keep-alive connection the server had just closed: the request never
                // reached it, so sending it again is safe. Anything else is an error.
                if (attempt == 3 || e.getMessage() == null || !e.getMessage().contains("received no bytes")) {
                    throw e;
                }
            }
        }
    }

    /** Sends without waiting: the steady-rate driver is open-loop (a slow answer does not delay the next send). */
    java.util.concurrent.CompletableFuture<HttpResponse<byte[]>> postAsync(String path, byte[] body, String requestId) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofMinutes(2))
                .header("Content-Type", "application/json")
                .header("X-Request-Id", requestId) // to match the service's access log, when it keeps one
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return client.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<InputStream> get(String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(Duration.ofMinutes(5))
                .GET()
                .build();
        HttpResponse<InputStream> r = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            String text = new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
            throw new IOException("GET " + pathAndQuery + " -> " + r.statusCode() + " " + text);
        }
        return r;
    }

    /** The four counts of a batch answer: accepted, duplicate, conflict, invalid. */
    static long[] batchCounts(byte[] body) {
        long[] c = new long[4];
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), body)) {
            p.nextToken();
            String name;
            while ((name = p.nextName()) != null) {
                p.nextToken();
                switch (name) {
                    case "accepted" -> c[0] = p.getLongValue();
                    case "duplicate" -> c[1] = p.getLongValue();
                    case "conflict" -> c[2] = p.getLongValue();
                    case "invalid" -> c[3] = p.getLongValue();
                    default -> p.skipChildren();
                }
            }
        }
        return c;
    }

    /** One feed message as the verifier needs it. */
    record Message(long seq, String messageId) {}

    /** One page of a feed; {@code next} is the cursor to pass back. */
    record Page(List<Message> messages, long next) {}

    Page feed(String feed, long after, int limit) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = get("/v1/" + feed + "?after=" + after + "&limit=" + limit);
        List<Message> messages = new ArrayList<>();
        long next = after;
        try (InputStream in = r.body();
                JsonParser p = JSON.createParser(ObjectReadContext.empty(), in)) {
            p.nextToken();
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken t = p.nextToken();
                if (name.equals("messages") && t == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        long seq = -1;
                        String id = null;
                        String field;
                        while ((field = p.nextName()) != null) {
                            p.nextToken();
                            switch (field) {
                                case "seq" -> seq = p.getLongValue();
                                case "messageId" -> id = p.getString();
                                default -> p.skipChildren();
                            }
                        }
                        messages.add(new Message(seq, id));
                    }
                } else if (name.equals("next")) {
                    next = p.getLongValue();
                } else {
                    p.skipChildren();
                }
            }
        }
        return new Page(messages, next);
    }

    /** Totals of one group of an aggregation answer. */
    record Group(long recordCount, Map<String, BigDecimal[]> units) {}

    /** Streams an aggregation answer; every group goes to {@code sink}; returns the bytes read. */
    long aggregation(String query, Consumer<Map.Entry<String, Group>> sink) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = get("/v1/aggregations" + query);
        CountingStream in = new CountingStream(r.body());
        try (in;
                JsonParser p = JSON.createParser(ObjectReadContext.empty(), in)) {
            p.nextToken();
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken t = p.nextToken();
                if (!name.equals("groups") || t != JsonToken.START_ARRAY) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    sink.accept(group(p));
                }
            }
        }
        return in.count;
    }

    /** One group object, the parser at its start: destinationId -> its count and totals. */
    private static Map.Entry<String, Group> group(JsonParser p) {
        String destination = null;
        long count = -1;
        Map<String, BigDecimal[]> units = new TreeMap<>();
        String field;
        while ((field = p.nextName()) != null) {
            p.nextToken();
            switch (field) {
                case "destinationId" -> destination = p.getString();
                case "recordCount" -> count = p.getLongValue();
                case "totals" -> {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        unitTotals(p, units);
                    }
                }
                default -> p.skipChildren();
            }
        }
        return Map.entry(destination, new Group(count, units));
    }

    /** One unit's totals object: unit -> [positive, negative, net]. */
    private static void unitTotals(JsonParser p, Map<String, BigDecimal[]> into) {
        String unit = null;
        BigDecimal[] pn = new BigDecimal[3];
        String f;
        while ((f = p.nextName()) != null) {
            p.nextToken();
            switch (f) {
                case "unit" -> unit = p.getString();
                case "positive" -> pn[0] = new BigDecimal(p.getText());
                case "negative" -> pn[1] = new BigDecimal(p.getText());
                case "net" -> pn[2] = new BigDecimal(p.getText());
                default -> p.skipChildren();
            }
        }
        into.put(unit, pn);
    }

    private static final class CountingStream extends java.io.FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
