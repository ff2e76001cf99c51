package dev.tally.operations;

import static dev.tally.support.Rec.rec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tally.support.IntegrationTestSupport;
import dev.tally.support.UseH2;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A W3C {@code traceparent} on a request is followed: the request's server span is its child, and
 * the write transaction that committed the record is a span of the same trace, under the request.
 */
@UseH2
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "management.tracing.sampling.probability=0.0",
            "management.opentelemetry.tracing.export.schedule-delay=50ms"
        })
class TracingH2IT extends IntegrationTestSupport {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT_SPAN_ID = "00f067aa0ba902b7";

    @TestConfiguration
    static class Spans {
        @Bean
        InMemorySpanExporter spanExporter() {
            return InMemorySpanExporter.create();
        }
    }

    @Autowired
    InMemorySpanExporter spans;

    /** Sampling is 0 for new traces here: only the caller's sampled flag makes these spans. */
    @Test
    void aSampledTraceparentLeadsFromTheRequestToItsWriteTransaction() throws Exception {
        // above the default threshold (10000): a notification and an alert
        assertThat(post(rec("t-1").value("20000.00").json(), "00-" + TRACE_ID + "-" + PARENT_SPAN_ID + "-01"))
                .isEqualTo(201);

        List<SpanData> trace = await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> ofTrace(TRACE_ID),
                        s -> s.stream().anyMatch(x -> x.getName().equals("tally write")));
        SpanData server = trace.stream()
                .filter(s -> s.getParentSpanId().equals(PARENT_SPAN_ID))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no span under the caller's: " + trace));
        assertThat(server.getName()).containsIgnoringCase("post");
        SpanData write = trace.stream()
                .filter(s -> s.getName().equals("tally write"))
                .findFirst()
                .orElseThrow();
        assertThat(ancestors(write, trace))
                .as("the write's ancestors, in %s", trace)
                .contains(server.getSpanId());
        assertThat(write.getAttributes().asMap().toString()).contains("tally.records=1");

        // The messages keep the context the record came in with, for the relay's traceparent header.
        // (the notification is the record's row; the alert an outbox row)
        List<String> stored = jdbc.queryForList(
                "SELECT traceparent FROM records WHERE record_id = 't-1' "
                        + "UNION ALL SELECT traceparent FROM outbox WHERE message_id = 't-1'",
                String.class);
        assertThat(stored).hasSize(2).allSatisfy(t -> {
            assertThat(t).matches("00-" + TRACE_ID + "-[0-9a-f]{16}-01");
            assertThat(t.substring(36, 52))
                    .as("the record's context is the span that submitted it, the write's parent")
                    .isEqualTo(write.getParentSpanId());
        });
    }

    @Test
    void anUnsampledRequestLeavesNoSpans() throws Exception {
        spans.reset();
        String other = "0af7651916cd43dd8448eb211c80319c";
        String unsampled = "00-" + other + "-b7ad6b7169203331-00";
        assertThat(post(rec("t-2").json(), unsampled)).isEqualTo(201);
        assertThat(post(rec("t-3").json(), unsampled)).isEqualTo(201);
        await().during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(2))
                .until(() -> ofTrace(other).isEmpty());
    }

    private int post(String json, String traceparent) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/records"))
                .header("Content-Type", "application/json")
                .header("traceparent", traceparent)
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The span ids above {@code span} in {@code trace}, nearest first. */
    private static List<String> ancestors(SpanData span, List<SpanData> trace) {
        List<String> up = new java.util.ArrayList<>();
        String parent = span.getParentSpanId();
        while (up.size() < trace.size()) {
            String id = parent;
            up.add(id);
            parent = trace.stream()
                    .filter(s -> s.getSpanId().equals(id))
                    .map(SpanData::getParentSpanId)
                    .findFirst()
                    .orElse(null);
            if (parent == null) {
                break;
            }
        }
        return up;
    }

    private List<SpanData> ofTrace(String traceId) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> s.getTraceId().equals(traceId))
                .toList();
    }
}
