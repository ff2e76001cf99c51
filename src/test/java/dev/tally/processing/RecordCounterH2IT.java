package dev.tally.processing;

import static dev.tally.support.Rec.rec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Api;
import dev.tally.support.IntegrationTestSupport;
import dev.tally.support.UseH2;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * {@code tally_records_processed_total{outcome, channel}} counts every HTTP item once with the
 * outcome its client was given, refusals of the edge included, read as a scraper reads it.
 */
@UseH2
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RecordCounterH2IT extends IntegrationTestSupport {

    @Test
    void countsEveryOutcomeOfEveryHttpPathByChannel() {
        Map<String, Double> before = scrape();

        assertThat(postOne(rec("c-1")).status()).isEqualTo(201);
        assertThat(postOne(rec("c-1")).status()).isEqualTo(200);
        assertThat(postOne(rec("c-1").value("99.99")).status()).isEqualTo(409);
        assertThat(api.postJson("/v1/records", rec("c-2").jsonWithout("unit")).status())
                .isEqualTo(400);
        assertThat(outcomes(api.postJson(
                        "/v1/records/batch",
                        "[" + rec("c-3").json() + "," + rec("c-4").jsonWithout("time") + "]")))
                .containsExactly("accepted", "invalid");
        assertThat(outcomes(postNdjson(List.of(rec("c-3"), rec("c-5").valueJson("\"ten\"")))))
                .containsExactly("duplicate", "invalid");

        Map<String, Double> after = scrape();
        assertThat(delta(before, after, "accepted", "http")).isEqualTo(2);
        assertThat(delta(before, after, "duplicate", "http")).isEqualTo(2);
        assertThat(delta(before, after, "conflict", "http")).isEqualTo(1);
        assertThat(delta(before, after, "invalid", "http")).isEqualTo(3);
        assertThat(delta(before, after, "forbidden", "http")).isZero();
        for (String outcome : List.of("accepted", "duplicate", "conflict", "invalid", "forbidden")) {
            assertThat(after).containsKey(key(outcome, "kafka"));
            assertThat(delta(before, after, outcome, "kafka")).isZero();
        }
    }

    private static String key(String outcome, String channel) {
        return "channel=\"" + channel + "\",outcome=\"" + outcome + "\"";
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String outcome, String channel) {
        String k = key(outcome, channel);
        assertThat(after).as("series %s", k).containsKey(k);
        return after.get(k) - before.getOrDefault(k, 0.0);
    }

    /** The counter's series from /actuator/prometheus, by their label set. */
    private Map<String, Double> scrape() {
        Api.Response r = api.get("/actuator/prometheus");
        assertThat(r.status()).isEqualTo(200);
        Map<String, Double> series = new HashMap<>();
        for (String line : r.body().split("\n")) {
            if (line.startsWith("tally_records_processed_total{")) {
                String labels = line.substring(line.indexOf('{') + 1, line.indexOf('}'));
                series.put(labels, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return series;
    }
}
