package dev.tally.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.validation.Validation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;

/** How {@code tally.kafka.topics.sources.<topic>} binds and what start-up refuses. Binder only. */
class KafkaTopicSourcesBindingTest {

    @Test
    void aTopicsListBindsAndTopicsWithDotsNeedBrackets() {
        TallyKafkaProperties.Topics topics = bind(
                        "tally.kafka.topics.records", "records,records.eu",
                        "tally.kafka.topics.sources.records", "billing,payments",
                        "tally.kafka.topics.sources.[records.eu]", "*")
                .topics();

        assertThat(topics.sources())
                .isEqualTo(Map.of("records", List.of("billing", "payments"), "records.eu", List.of("*")));
    }

    @Test
    void noListMeansNoRestriction() {
        assertThat(bind().topics().sources()).isEmpty();
    }

    @Test
    void aListForATopicThatIsNotReadStopsTheStartUp() {
        assertThatThrownBy(() ->
                        bind("tally.kafka.topics.records", "records", "tally.kafka.topics.sources.recrods", "billing"))
                .isInstanceOf(BindException.class)
                .hasStackTraceContaining("every key must be one of tally.kafka.topics.records");
    }

    private static TallyKafkaProperties bind(String... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        ValidationBindHandler validation = new ValidationBindHandler(new SpringValidatorAdapter(
                Validation.buildDefaultValidatorFactory().getValidator()));
        return new Binder(ConfigurationPropertySources.from(new MapPropertySource("test", map)))
                .bindOrCreate(
                        "tally.kafka",
                        org.springframework.boot.context.properties.bind.Bindable.of(TallyKafkaProperties.class),
                        validation);
    }
}
