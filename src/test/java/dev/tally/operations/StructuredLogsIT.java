package dev.tally.operations;

import static dev.tally.support.Rec.rec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tally.support.Api;
import dev.tally.support.TallyJar;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The packaged service with {@code logging.structured.format.console=ecs}, as compose.yaml and
 * deploy/k8s run it: every line on the console is one JSON object, and a line logged while a
 * request is handled carries that request's trace and span ids.
 */
class StructuredLogsIT {

    private static final String TRACE_ID = "5bf92f3577b34da6a3ce929d0e0e4736";

    @TempDir
    Path dir;

    @Test
    void everyLineIsJsonAndARequestsLinesCarryItsTraceId() throws Exception {
        Path log = dir.resolve("tally.log");
        try (TallyJar tally = TallyJar.start(
                dir,
                log,
                List.of(
                        "--logging.structured.format.console=ecs",
                        // DispatcherServlet logs each request at DEBUG, on the request's thread
                        "--logging.level.org.springframework.web.servlet.DispatcherServlet=DEBUG"))) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(tally.base() + "/v1/records"))
                    .header("Content-Type", "application/json")
                    .header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01")
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(rec("log-1").json()))
                    .build();
            assertThat(HttpClient.newHttpClient()
                            .send(request, HttpResponse.BodyHandlers.discarding())
                            .statusCode())
                    .isEqualTo(201);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Files.readString(log).contains(TRACE_ID));
        }
        List<String> lines =
                Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
        assertThat(lines).hasSizeGreaterThan(5);
        JsonNode traced = null;
        for (String line : lines) {
            JsonNode json = Api.JSON.readTree(line);
            assertThat(json.isObject()).as("a JSON object per line: %s", line).isTrue();
            assertThat(json.has("@timestamp") && json.has("message")).as(line).isTrue();
            if (line.contains(TRACE_ID)) {
                traced = json;
            }
        }
        assertThat(traced).isNotNull();
        assertThat(traced.get("traceId").asString()).isEqualTo(TRACE_ID);
        assertThat(traced.get("spanId").asString()).matches("[0-9a-f]{16}");
        assertThat(traced.get("log").get("level").asString()).isNotBlank();
    }
}
