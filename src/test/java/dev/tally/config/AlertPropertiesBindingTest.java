package dev.tally.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.support.SpringApplicationJsonEnvironmentPostProcessor;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * How {@code tally.alerts.thresholds.<UNIT>} keys bind, since unit names are case-sensitive
 * (SPEC §2) but Spring's relaxed binding is not. Binder only, no application context.
 *
 * <p>What this pins down: a single mixed-case key in a properties source keeps its case; the
 * bracket form {@code tally.alerts.thresholds.[EUR]} keeps {@code EUR} and {@code eur} apart; a
 * plain environment variable lower-cases the unit; {@code SPRING_APPLICATION_JSON} with bracketed
 * keys is the way to give mixed-case units from the environment.
 */
class AlertPropertiesBindingTest {

    @Test
    void aSingleMixedCaseKeyKeepsItsCase() {
        AlertProperties alerts = bind(properties("tally.alerts.thresholds.EUR", "100"));

        assertThat(alerts.thresholds()).containsExactly(Map.entry("EUR", new BigDecimal("100")));
        assertThat(alerts.thresholdFor("EUR")).isEqualTo(new BigDecimal("100"));
        assertThat(alerts.thresholdFor("eur")).isEqualTo(new BigDecimal("10000"));
    }

    @Test
    void bracketKeysKeepUnitsThatDifferOnlyInCaseApart() {
        AlertProperties alerts = bind(properties(
                "tally.alerts.thresholds.[EUR]", "100",
                "tally.alerts.thresholds.[eur]", "5"));

        assertThat(alerts.thresholdFor("EUR")).isEqualTo(new BigDecimal("100"));
        assertThat(alerts.thresholdFor("eur")).isEqualTo(new BigDecimal("5"));
        assertThat(alerts.thresholdFor("Eur")).isEqualTo(new BigDecimal("10000"));
    }

    @Test
    void aPlainEnvironmentVariableLowerCasesTheUnit() {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("TALLY_ALERTS_THRESHOLDS_EUR", "100");
        AlertProperties alerts = bind(
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env));

        assertThat(alerts.thresholds()).containsOnlyKeys("eur");
    }

    @Test
    void springApplicationJsonWithBracketKeysGivesMixedCaseUnitsFromTheEnvironment() {
        StandardEnvironment environment = new StandardEnvironment();
        environment
                .getPropertySources()
                .addFirst(properties(
                        "spring.application.json",
                        "{\"tally\":{\"alerts\":{\"thresholds\":{\"[EUR]\":100,\"[eur]\":5}}}}"));
        new SpringApplicationJsonEnvironmentPostProcessor()
                .postProcessEnvironment(environment, new SpringApplication());

        AlertProperties alerts = Binder.get(environment).bindOrCreate("tally.alerts", AlertProperties.class);

        assertThat(alerts.thresholdFor("EUR")).isEqualTo(new BigDecimal("100"));
        assertThat(alerts.thresholdFor("eur")).isEqualTo(new BigDecimal("5"));
    }

    @Test
    void theDefaultThresholdIsTenThousand() {
        AlertProperties alerts = bind(properties());

        assertThat(alerts.defaultThreshold()).isEqualTo(new BigDecimal("10000"));
        assertThat(alerts.thresholds()).isEmpty();
    }

    private static AlertProperties bind(PropertySource<?> source) {
        return new Binder(ConfigurationPropertySources.from(source))
                .bindOrCreate("tally.alerts", AlertProperties.class);
    }

    private static MapPropertySource properties(String... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return new MapPropertySource("test", map);
    }
}
