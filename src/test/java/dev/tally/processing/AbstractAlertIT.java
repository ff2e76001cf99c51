package dev.tally.processing;

import static dev.tally.support.Rec.rec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Feeds;
import dev.tally.support.IntegrationTestSupport;
import dev.tally.support.Rec;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/**
 * Alerts (SPEC §3.5): one alert message for a record whose value is strictly above its unit's
 * threshold. This context sets per-unit thresholds; the default stays 10000.
 *
 * <p>Units differing only in case need the bracket form: with plain dots Spring's relaxed binding
 * treats {@code thresholds.EUR} and {@code thresholds.eur} as one name and gives both keys the same
 * value (see {@code AlertPropertiesBindingTest}). {@code Gold} is a single mixed-case key in dot
 * form, which keeps its case.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "tally.alerts.thresholds.[EUR]=100",
            "tally.alerts.thresholds.[eur]=5",
            "tally.alerts.thresholds.Gold=0.5"
        })
abstract class AbstractAlertIT extends IntegrationTestSupport {

    @Test
    final void onlyValuesStrictlyAboveTheirUnitsThresholdAlert() {
        List<Rec> records = List.of(
                rec("a-01").unit("SEK").value("10000"), // equal to the default: none
                rec("a-02").unit("SEK").value("10000.000000000000000000"), // equal, other scale: none
                rec("a-03").unit("SEK").value("10000.000000000000000001"), // just above: alert
                rec("a-04").unit("SEK").type("negative").number("20000"), // the value, not the signed value
                rec("a-05").unit("EUR").value("100"), // equal to EUR's 100: none
                rec("a-06").unit("EUR").value("100.01"), // alert at 100
                rec("a-07").unit("eur").value("5"), // equal to eur's 5: none
                rec("a-08").unit("eur").value("5.5"), // alert at 5
                rec("a-09").unit("EUR").value("50"), // above eur's 5, not EUR's 100: none
                rec("a-10").unit("Gold").value("0.5"), // equal: none
                rec("a-11").unit("Gold").number("0.51"), // alert at 0.5
                rec("a-12").unit("gold").value("0.51"), // no key for gold: default 10000
                rec("a-13").unit("USD").value("9999.99")); // below the default: none
        records.subList(0, 6).forEach(r -> assertThat(postOne(r).status()).isEqualTo(201));
        assertThat(outcomes(postArray(records.subList(6, records.size())))).containsOnly("accepted");
        // a duplicate or a conflict of an alerting record alerts no more
        assertThat(postOne(rec("a-03").unit("SEK").number("10000.000000000000000001"))
                        .status())
                .isEqualTo(200);
        assertThat(postOne(rec("a-06").unit("EUR").value("999")).status()).isEqualTo(409);

        List<JsonNode> alerts = Feeds.all(api, "/v1/alerts");

        assertThat(alerts)
                .extracting(a -> a.get("messageId").asString())
                .containsExactly("a-03", "a-04", "a-06", "a-08", "a-11");
        Feeds.assertGapless(alerts);
        assertThreshold(alerts.get(0), "SEK", "10000");
        assertThreshold(alerts.get(1), "SEK", "10000");
        assertThreshold(alerts.get(2), "EUR", "100");
        assertThreshold(alerts.get(3), "eur", "5");
        assertThreshold(alerts.get(4), "Gold", "0.5");
        JsonNode first = alerts.get(0);
        assertThat(first.get("type").asString()).isEqualTo("record.threshold_exceeded");
        assertThat(first.get("record").get("recordId").asString()).isEqualTo("a-03");
        assertThat(first.get("record").get("value").decimalValue())
                .isEqualTo(new BigDecimal("10000.000000000000000001"));
        assertThat(alerts.get(1).get("record").get("type").asString()).isEqualTo("negative");
        assertThat(alerts.get(1).get("record").get("value").decimalValue()).isEqualTo(new BigDecimal("20000"));
        assertThat(first.get("processedAt").asString()).endsWith("Z");

        assertThat(Feeds.all(api, "/v1/notifications")).hasSize(records.size());
    }

    private static void assertThreshold(JsonNode alert, String unit, String value) {
        assertThat(alert.get("record").get("unit").asString()).isEqualTo(unit);
        assertThat(alert.get("threshold").get("unit").asString()).isEqualTo(unit);
        assertThat(alert.get("threshold").get("value").decimalValue()).isEqualTo(new BigDecimal(value));
    }
}
