package dev.tally.outbox;

import static dev.tally.support.Rec.rec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Api;
import dev.tally.support.IntegrationTestSupport;
import dev.tally.support.Rec;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/**
 * The feeds {@code /v1/notifications} and {@code /v1/alerts} (SPEC §4): cursor paging with
 * {@code after}/{@code limit} sees every message exactly once, in seq order, also while new
 * messages arrive; limits and bad parameters are checked.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class AbstractFeedIT extends IntegrationTestSupport {

    @Test
    final void pagingSeesEveryMessageExactlyOnceInOrderAlsoWhileMoreArrive() {
        List<String> ids = post(0, 23);

        List<String> seen = new ArrayList<>();
        long after = page("/v1/notifications", 0, 5, seen);
        assertThat(after).isEqualTo(23);
        assertThat(seen).isEqualTo(ids);

        ids.addAll(post(23, 3));
        after = page("/v1/notifications", after, 5, seen);
        assertThat(after).isEqualTo(26);
        assertThat(seen).isEqualTo(ids);

        // at the end: an empty page, and next stays where it was
        Api.Response end = api.get("/v1/notifications?after=26&limit=5");
        assertThat(end.json().get("messages")).isEmpty();
        assertThat(end.json().get("next").asLong()).isEqualTo(26);
        Api.Response beyond = api.get("/v1/notifications?after=1000");
        assertThat(beyond.json().get("messages")).isEmpty();
        assertThat(beyond.json().get("next").asLong()).isEqualTo(1000);
    }

    @Test
    final void alertsPageLikeNotificationsWithTheirOwnGaplessSeqs() {
        List<String> alerting = new ArrayList<>();
        List<Rec> records = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            boolean above = i % 4 == 1;
            records.add(rec("f-%02d".formatted(i)).value(above ? "10000.01" : "10000"));
            if (above) {
                alerting.add("f-%02d".formatted(i));
            }
        }
        assertThat(outcomes(postArray(records))).containsOnly("accepted");

        List<String> seen = new ArrayList<>();
        long next = page("/v1/alerts", 0, 3, seen);

        assertThat(seen).isEqualTo(alerting);
        assertThat(next).isEqualTo(alerting.size());
        JsonNode first = api.get("/v1/alerts?limit=1").json().get("messages").get(0);
        assertThat(first.get("type").asString()).isEqualTo("record.threshold_exceeded");
        assertThat(first.get("seq").asLong()).isEqualTo(1);
        assertThat(first.get("messageId").asString()).isEqualTo("f-01");
        assertThat(first.get("processedAt").asString()).endsWith("Z");
        assertThat(api.get("/v1/notifications").json().get("messages")).hasSize(30);
    }

    @Test
    final void afterStartsRightAfterTheGivenSeq() {
        post(0, 12);

        JsonNode page = api.get("/v1/notifications?after=7&limit=3").json();

        assertThat(page.get("messages")).extracting(m -> m.get("seq").asLong()).containsExactly(8L, 9L, 10L);
        assertThat(page.get("messages"))
                .extracting(m -> m.get("messageId").asString())
                .containsExactly("p-007", "p-008", "p-009");
        assertThat(page.get("next").asLong()).isEqualTo(10);
        JsonNode m = page.get("messages").get(0);
        assertThat(m.get("type").asString()).isEqualTo("record.processed");
        assertThat(m.get("record").get("recordId").asString()).isEqualTo("p-007");
        assertThat(m.get("summary").get("previous").get("recordCount").asLong()).isEqualTo(7);
    }

    @Test
    final void theDefaultLimitIs100AndTheMaximum10000() {
        post(0, 130);

        JsonNode firstPage = api.get("/v1/notifications").json();
        assertThat(firstPage.get("messages")).hasSize(100);
        assertThat(firstPage.get("next").asLong()).isEqualTo(100);
        assertThat(api.get("/v1/notifications?after=100").json().get("messages"))
                .hasSize(30);
        assertThat(api.get("/v1/notifications?limit=10000").json().get("messages"))
                .hasSize(130);
        assertThat(api.get("/v1/notifications?limit=1").json().get("messages")).hasSize(1);
        assertThat(api.get("/v1/alerts").json().get("messages")).isEmpty();
        assertThat(api.get("/v1/alerts").json().get("next").asLong()).isZero();
    }

    /** Broken paging parameters; {@code FeedControllerSliceTest} sends them too. */
    static Stream<String> badParameters() {
        return Stream.of(
                "limit=0",
                "limit=-1",
                "limit=10001",
                "limit=abc",
                "limit=1.5",
                "limit=",
                "after=-1",
                "after=abc",
                "after=1.5",
                "after=99999999999999999999");
    }

    @ParameterizedTest
    @MethodSource("badParameters")
    final void badParametersAreA400NamingTheParameter(String query) {
        for (String feed : List.of("/v1/notifications", "/v1/alerts")) {
            Api.Response r = api.get(feed + "?" + query);

            assertThat(r.status()).as("%s?%s", feed, query).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(errorFields(r.json())).containsExactly(query.substring(0, query.indexOf('=')));
        }
    }

    @Test
    final void aNotificationIsStoredAsItsPreviousSummaryAndServedWithItsRecordExactly() {
        assertThat(outcomes(postArray(List.of(
                        rec("s-1")
                                .dest("acct-1")
                                .ref("inv-1")
                                .value("10.50")
                                .unit("SEK")
                                .time("2026-03-01T12:00:00.123456Z"),
                        rec("s-2")
                                .dest("acct-1")
                                .ref("inv-1")
                                .number("0.000000000000000001")
                                .unit("SEK")
                                .type("negative")
                                .time("2026-03-01T12:00:01Z")))))
                .containsOnly("accepted");

        // A notification is its record's row with the previous summary; the message is rendered when read.
        assertThat(jdbc.queryForList("SELECT summary_previous FROM records ORDER BY seq", String.class))
                .containsExactly(
                        "{\"recordCount\":0,\"firstTime\":null,\"lastTime\":null,\"totals\":[]}",
                        "{\"recordCount\":1,\"firstTime\":\"2026-03-01T12:00:00.123456Z\","
                                + "\"lastTime\":\"2026-03-01T12:00:00.123456Z\","
                                + "\"totals\":[{\"unit\":\"SEK\",\"positive\":10.50,\"negative\":0,\"net\":10.50}]}");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM outbox", Long.class))
                .isZero();
        String processedAt = jdbc.queryForObject(
                        "SELECT processed_at FROM records WHERE record_id = 's-2'", java.time.OffsetDateTime.class)
                .toInstant()
                .toString();
        String body = api.get("/v1/notifications?after=1").body();
        assertThat(body)
                .isEqualTo(
                        "{\"messages\":[{\"messageId\":\"s-2\",\"type\":\"record.processed\",\"seq\":2,"
                                + "\"processedAt\":\"" + processedAt + "\",\"record\":{\"recordId\":\"s-2\","
                                + "\"time\":\"2026-03-01T12:00:01Z\",\"sourceId\":\"billing\",\"destinationId\":\"acct-1\","
                                + "\"type\":\"negative\",\"value\":0.000000000000000001,\"unit\":\"SEK\",\"reference\":\"inv-1\"},"
                                + "\"summary\":{\"destinationId\":\"acct-1\",\"reference\":\"inv-1\",\"previous\":{\"recordCount\":1,"
                                + "\"firstTime\":\"2026-03-01T12:00:00.123456Z\",\"lastTime\":\"2026-03-01T12:00:00.123456Z\","
                                + "\"totals\":[{\"unit\":\"SEK\",\"positive\":10.50,\"negative\":0,\"net\":10.50}]}}}],\"next\":2}");
    }

    /** Posts records p-{from}..p-{from+n-1}, one batch; returns their ids in order. */
    private List<String> post(int from, int n) {
        List<Rec> records = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            records.add(rec("p-%03d".formatted(i)));
        }
        assertThat(outcomes(postArray(records))).containsOnly("accepted");
        return new ArrayList<>(records.stream().map(Rec::recordId).toList());
    }

    /**
     * Pages through {@code feed} from {@code after} with {@code limit}, adding each messageId to
     * {@code seen}; checks each page's size, seqs and next. Returns the last next.
     */
    private long page(String feed, long after, int limit, List<String> seen) {
        while (true) {
            Api.Response r = api.get(feed + "?after=" + after + "&limit=" + limit);
            assertThat(r.status()).isEqualTo(200);
            JsonNode messages = r.json().get("messages");
            assertThat(messages.size()).isLessThanOrEqualTo(limit);
            long next = r.json().get("next").asLong();
            if (messages.isEmpty()) {
                assertThat(next).isEqualTo(after);
                return after;
            }
            for (JsonNode m : messages) {
                assertThat(m.get("seq").asLong()).isEqualTo(++after);
                seen.add(m.get("messageId").asString());
            }
            assertThat(next).isEqualTo(after);
        }
    }
}
