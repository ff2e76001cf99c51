package dev.tally.web.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.Content;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Gives the examples back the decimals they were written with. swagger-core parses an
 * {@code @ExampleObject}'s value with a mapper of its own that reads {@code 125.50} as the double
 * {@code 125.5}: the document would then show the very rounding that Tally never does. Each example
 * that came from an {@link ApiExamples} constant is replaced by the same text parsed exactly.
 */
final class ExactExamples {

    private static final ObjectMapper EXACT = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    /** swagger-core's reading of the same texts: how the examples arrive. */
    private static final ObjectMapper LOSSY = new ObjectMapper();

    private final Map<JsonNode, JsonNode> exactByLossy = new HashMap<>();

    ExactExamples() {
        for (Field f : ApiExamples.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                String text = constant(f);
                if (text.startsWith("{") || text.startsWith("[")) {
                    exactByLossy.put(read(LOSSY, text), read(EXACT, text));
                }
            }
        }
    }

    static JsonNode parse(String text) {
        return read(EXACT, text);
    }

    void restore(Operation operation) {
        Stream<Content> contents = Stream.concat(
                operation.getRequestBody() == null
                        ? Stream.empty()
                        : Stream.of(operation.getRequestBody().getContent()),
                operation.getResponses().values().stream().map(r -> r.getContent()));
        contents.filter(c -> c != null)
                .flatMap(c -> c.values().stream())
                .filter(m -> m.getExamples() != null)
                .flatMap(m -> m.getExamples().values().stream())
                .forEach(this::restore);
    }

    private void restore(Example example) {
        if (example.getValue() instanceof JsonNode node && exactByLossy.containsKey(node)) {
            example.setValue(exactByLossy.get(node));
        }
    }

    private static String constant(Field f) {
        try {
            return (String) f.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("ApiExamples." + f.getName() + " is not public", e);
        }
    }

    private static JsonNode read(ObjectMapper mapper, String text) {
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An example is not JSON: " + text, e);
        }
    }
}
