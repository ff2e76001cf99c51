package dev.tally.processing;

import static dev.tally.support.Rec.rec;
import static dev.tally.support.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Api;
import dev.tally.support.IntegrationTestSupport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/**
 * Overload and a stalled database: the writer is blocked by holding the sequencer row lock from
 * another connection (what a long transaction of another instance would do). Requests must get
 * 503 with Retry-After within their deadlines, the queue must refuse work beyond its capacity,
 * and once the lock is released everything that was queued commits exactly once.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "tally.processing.max-transaction-records=5",
            "tally.processing.queue-capacity-records=5",
            "tally.processing.enqueue-timeout=200ms",
            "tally.processing.commit-timeout=1s",
            "tally.processing.retry-after=3s",
            "tally.ingest.ndjson-chunk=2"
        })
abstract class AbstractBackpressureIT extends IntegrationTestSupport {

    @Autowired
    DataSource dataSource;

    @Autowired
    MeterRegistry meters;

    @Test
    final void stalledWriterGives503ThenQueuedWorkCommitsOnceAndRetryIsADuplicate() throws Exception {
        try (Connection blocker = dataSource.getConnection()) {
            blocker.setAutoCommit(false);
            blocker.createStatement()
                    .executeQuery("SELECT * FROM sequencer WHERE id = 1 FOR UPDATE")
                    .close();

            Api.Response timedOut =
                    api.postJson("/v1/records", rec("r-1").value("1.00").json());
            assertThat(timedOut.status()).isEqualTo(503);
            assertThat(timedOut.retryAfter()).isEqualTo("3");
            assertThat(timedOut.contentType()).startsWith("application/problem+json");

            // r-1 still holds one of the 5 queue places: a batch of 5 cannot get in.
            StringBuilder batch = new StringBuilder("[");
            for (int i = 0; i < 5; i++) {
                batch.append(i == 0 ? "" : ",").append(rec("b-" + i).number("1").json());
            }
            Api.Response full =
                    api.postJson("/v1/records/batch", batch.append("]").toString());
            assertThat(full.status()).isEqualTo(503);
            assertThat(full.json().get("detail").asString()).contains("queue is full");
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM records", Long.class))
                    .isZero();

            blocker.rollback();
        }

        awaitStored("r-1");
        Api.Response retry = api.postJson("/v1/records", rec("r-1").number("1").json());
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.json().get("outcome").asString()).isEqualTo("duplicate");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM records WHERE summary_previous IS NOT NULL", Long.class))
                .isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM records WHERE record_id LIKE 'b-%'", Long.class))
                .as("the refused batch was never queued")
                .isZero();
    }

    @Test
    final void concurrentRequestsWhileStalledAreAllCommittedExactlyOnceAfterwards() throws Exception {
        List<CompletableFuture<Api.Response>> pending = new ArrayList<>();
        try (Connection blocker = dataSource.getConnection()) {
            blocker.setAutoCommit(false);
            blocker.createStatement()
                    .executeQuery("SELECT * FROM sequencer WHERE id = 1 FOR UPDATE")
                    .close();
            for (int i = 0; i < 4; i++) {
                String body = rec("c-" + i).number("2").json();
                pending.add(CompletableFuture.supplyAsync(() -> api.postJson("/v1/records", body)));
            }
            for (CompletableFuture<Api.Response> f : pending) {
                assertThat(f.get(30, TimeUnit.SECONDS).status()).isIn(201, 503);
            }
            blocker.rollback();
        }
        for (int i = 0; i < 4; i++) {
            awaitStored("c-" + i);
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM records", Long.class))
                .isEqualTo(4);
        assertThat(jdbc.queryForList(
                        "SELECT seq FROM records WHERE summary_previous IS NOT NULL ORDER BY seq", Long.class))
                .containsExactly(1L, 2L, 3L, 4L);
    }

    /**
     * {@code tally.processing.queue.wait} is the time a submission waits for the writer, not its
     * transaction: q-1 is taken at once (its transaction then waits for the lock), q-2 waits in the
     * queue until the lock is released at least 500 ms later.
     */
    @Test
    final void queueWaitTimerMeasuresTheWaitForTheWriter() throws Exception {
        Timer wait = meters.get("tally.processing.queue.wait").timer();
        long countBefore = wait.count();
        double secondsBefore = wait.totalTime(TimeUnit.SECONDS);
        try (Connection blocker = dataSource.getConnection()) {
            blocker.setAutoCommit(false);
            blocker.createStatement()
                    .executeQuery("SELECT * FROM sequencer WHERE id = 1 FOR UPDATE")
                    .close();
            CompletableFuture.runAsync(
                    () -> api.postJson("/v1/records", rec("q-1").number("1").json()));
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> wait.count() == countBefore + 1); // the writer took q-1
            CompletableFuture.runAsync(
                    () -> api.postJson("/v1/records", rec("q-2").number("1").json()));
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(5))
                    .until(() ->
                            meters.get("tally.processing.queue.records").gauge().value() == 2); // q-2 queued
            Thread.sleep(500);
            blocker.rollback();
        }
        awaitStored("q-2");
        assertThat(wait.count()).isEqualTo(countBefore + 2);
        assertThat(wait.totalTime(TimeUnit.SECONDS) - secondsBefore).isBetween(0.45, 20.0);
    }

    /**
     * An NDJSON stream whose later chunks cannot commit (the writer stalls after the first chunk
     * committed): the 200 body lists exactly the committed items, then {@code "error"} and
     * {@code "complete":false}; resending the whole stream afterwards is safe.
     */
    @Test
    final void ndjsonStreamThatFailsMidwayReportsExactlyWhatCommitted() throws Exception {
        // HttpURLConnection in chunked mode sends each flushed write at once: the stream really is streamed.
        HttpURLConnection http = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/v1/records/batch")
                .toURL()
                .openConnection();
        http.setRequestMethod("POST");
        http.setRequestProperty("Content-Type", "application/x-ndjson");
        http.setDoOutput(true);
        http.setChunkedStreamingMode(256);
        http.setReadTimeout(60_000);
        OutputStream client = http.getOutputStream();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            lines.add(rec("s-" + i).number("3").json() + "\n");
        }
        client.write((lines.get(0) + lines.get(1)).getBytes(StandardCharsets.UTF_8));
        client.flush();
        awaitStored("s-1"); // the first chunk (two lines) committed

        try (Connection blocker = dataSource.getConnection()) {
            blocker.setAutoCommit(false);
            blocker.createStatement()
                    .executeQuery("SELECT * FROM sequencer WHERE id = 1 FOR UPDATE")
                    .close();
            for (int i = 2; i < 6; i++) {
                client.write(lines.get(i).getBytes(StandardCharsets.UTF_8));
            }
            client.close();
            assertThat(http.getResponseCode()).isEqualTo(200);
            JsonNode json;
            try (InputStream in = http.getInputStream()) {
                json = Api.JSON.readTree(in);
            }
            assertThat(json.get("complete").asBoolean()).isFalse();
            assertThat(json.get("error").get("status").asInt()).isEqualTo(503);
            assertThat(json.get("accepted").asInt()).isEqualTo(2);
            assertThat(json.get("results")).hasSize(2);
            assertThat(json.get("results").get(0).get("recordId").asString()).isEqualTo("s-0");
            assertThat(json.get("results").get(1).get("index").asInt()).isEqualTo(1);
            blocker.rollback();
        }

        // What was queued commits once the database moves again; resending it all is harmless.
        Api.Response resent = api.post("/v1/records/batch", "application/x-ndjson", String.join("", lines));
        assertThat(resent.json().get("complete").asBoolean()).isTrue();
        assertThat(resent.json().get("accepted").asInt()
                        + resent.json().get("duplicate").asInt())
                .isEqualTo(6);
        assertThat(resent.json().get("duplicate").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM records WHERE summary_previous IS NOT NULL", Long.class))
                .isEqualTo(6);
    }

    private void awaitStored(String recordId) {
        await("record " + recordId + " committed in time")
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> api.get("/v1/records/" + recordId).status() == 200);
    }
}
