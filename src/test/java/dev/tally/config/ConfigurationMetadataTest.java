package dev.tally.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The configuration processor's metadata (IDE completion) covers every {@code tally.*} property with
 * a description, and docs/configuration.md, generated from it, is not behind it.
 */
class ConfigurationMetadataTest {

    /** One property per {@code @ConfigurationProperties} prefix, written by hand from the records. */
    private static final List<String> EXPECTED = List.of(
            "tally.alerts.default-threshold",
            "tally.alerts.thresholds",
            "tally.ingest.max-batch",
            "tally.processing.commit-timeout",
            "tally.rollups.folding",
            "tally.outbox.retention",
            "tally.kafka.topics.records",
            "tally.kafka.relay.batch-messages");

    @Test
    void everyTallyPropertyIsInTheMetadataWithADescriptionAndInTheReference() throws IOException {
        JsonNode metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in)
                    .as("written by spring-boot-configuration-processor at compile time")
                    .isNotNull();
            metadata = JsonMapper.builder().build().readTree(in);
        }
        List<JsonNode> tally = StreamSupport.stream(metadata.path("properties").spliterator(), false)
                .filter(p -> p.path("name").asString().startsWith("tally."))
                .toList();
        List<String> names = tally.stream().map(p -> p.path("name").asString()).toList();

        assertThat(names).containsAll(EXPECTED);
        assertThat(tally)
                .allSatisfy(p -> assertThat(p.path("description").asString())
                        .as(p.path("name").asString())
                        .isNotBlank());

        String reference = Files.readString(Path.of("docs/configuration.md"));
        assertThat(names).allSatisfy(name -> assertThat(reference).contains("`" + name + "`"));
    }
}
