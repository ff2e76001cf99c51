package dev.tally.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Api;
import dev.tally.support.IntegrationTestSupport;
import dev.tally.support.OpenApiDocument;
import dev.tally.support.UseH2;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The document's examples are true of the running service. Its request examples, replayed in
 * document order on an empty database (the writes first, then the reads), are answered with the
 * status whose response example has the same name (a read: its 2xx), with the documented media
 * type, with a body that the documented schema accepts and that equals that response example (but
 * for {@code detail}, {@code instance} and {@code processedAt}, which name the moment). Every
 * response example fits its own schema, and a request example (each item of a batch) fits the
 * request schema exactly when the service does not refuse it as invalid.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@UseH2
class OpenApiExamplesH2IT extends IntegrationTestSupport {

    /** Fields that differ between any two runs, left out of the comparison with the example. */
    private static final Set<String> OF_THE_MOMENT = Set.of("detail", "instance", "processedAt");

    private record Call(String route, String method, String path, String mediaType, JsonNode example, String name) {}

    @Test
    void everyRequestExampleIsAnsweredAsDocumented() {
        OpenApiDocument doc = OpenApiDocument.fetch(api);
        List<Call> writes = new ArrayList<>();
        List<Call> reads = new ArrayList<>();
        doc.operations().forEach((route, op) -> {
            String method = route.substring(0, route.indexOf(' '));
            String path = route.substring(route.indexOf(' ') + 1);
            if (op.has("requestBody")) {
                for (var media : op.get("requestBody").get("content").properties()) {
                    for (var example : media.getValue().get("examples").properties()) {
                        writes.add(new Call(
                                route,
                                method,
                                path,
                                media.getKey(),
                                example.getValue().get("value"),
                                example.getKey()));
                    }
                }
            } else {
                reads.add(new Call(route, method, withParameterExamples(path, op), null, null, null));
            }
        });
        assertThat(writes).hasSizeGreaterThanOrEqualTo(7);
        assertThat(reads).hasSize(4);

        List<Call> story = new ArrayList<>(writes);
        story.addAll(reads);
        for (Call call : story) {
            JsonNode op = doc.operations().get(call.route());
            Map.Entry<String, JsonNode> documented = documentedAnswer(op, call);
            Api.Response r = send(call);

            String what = call.route() + (call.name() == null ? "" : " example " + call.name());
            assertThat(String.valueOf(r.status()))
                    .as("%s: status, body %s", what, r.body())
                    .isEqualTo(documented.getKey());
            Map.Entry<String, JsonNode> media =
                    documented.getValue().get("content").properties().iterator().next();
            assertThat(r.contentType()).as("%s: media type", what).startsWith(media.getKey());
            assertThat(doc.violations(media.getValue().get("schema"), r.json()))
                    .as("%s: %s against the documented schema", what, r.body())
                    .isEmpty();
            JsonNode example = call.name() == null
                    ? media.getValue()
                            .get("examples")
                            .properties()
                            .iterator()
                            .next()
                            .getValue()
                            .get("value")
                    : media.getValue().get("examples").get(call.name()).get("value");
            assertThat(withoutMoment(r.json()))
                    .as("%s: the answer is the documented example", what)
                    .isEqualTo(withoutMoment(example));
        }
    }

    @Test
    void everyExampleFitsItsSchemaButTheInvalidRequests() {
        OpenApiDocument doc = OpenApiDocument.fetch(api);
        List<String> wrong = new ArrayList<>();
        doc.operations().forEach((route, op) -> {
            for (var response : op.get("responses").properties()) {
                for (var media : response.getValue().get("content").properties()) {
                    for (var example : media.getValue().get("examples").properties()) {
                        List<String> v = doc.violations(
                                media.getValue().get("schema"),
                                example.getValue().get("value"));
                        if (!v.isEmpty()) {
                            wrong.add(route + " " + response.getKey() + " " + example.getKey() + ": " + v);
                        }
                    }
                }
            }
            if (!op.has("requestBody")) {
                return;
            }
            for (var media : op.get("requestBody").get("content").properties()) {
                for (var example : media.getValue().get("examples").properties()) {
                    Call call = new Call(route, null, null, media.getKey(), null, example.getKey());
                    Map.Entry<String, JsonNode> answer = documentedAnswer(op, call);
                    JsonNode answerExample = answer.getValue()
                            .get("content")
                            .properties()
                            .iterator()
                            .next()
                            .getValue()
                            .get("examples")
                            .get(example.getKey())
                            .get("value");
                    JsonNode schema = media.getValue().get("schema");
                    boolean array = "array".equals(schema.path("type").asString(""));
                    JsonNode itemSchema = array ? schema.get("items") : schema;
                    List<JsonNode> items =
                            items(media.getKey(), example.getValue().get("value"), array);
                    for (int i = 0; i < items.size(); i++) {
                        // a batch refuses items, not the request: its results say which were invalid
                        boolean refused = answerExample.has("results")
                                ? answerExample
                                        .get("results")
                                        .get(i)
                                        .get("outcome")
                                        .asString()
                                        .equals("invalid")
                                : answer.getKey().equals("400");
                        List<String> v = doc.violations(itemSchema, items.get(i));
                        if (refused == v.isEmpty()) {
                            wrong.add(route + " request " + example.getKey() + " item " + i
                                    + (refused ? " is refused but fits the schema" : ": " + v));
                        }
                    }
                }
            }
        });
        assertThat(wrong).isEmpty();
    }

    /** The status (and its response) whose examples hold one named as the request's; a read's 2xx. */
    private static Map.Entry<String, JsonNode> documentedAnswer(JsonNode op, Call call) {
        for (var response : op.get("responses").properties()) {
            JsonNode content = response.getValue().get("content");
            if (call.name() == null ? response.getKey().startsWith("2") : hasExample(content, call.name())) {
                return response;
            }
        }
        throw new AssertionError(call.route() + ": no response documents the answer to example " + call.name());
    }

    private static boolean hasExample(JsonNode content, String name) {
        for (var media : content.properties()) {
            if (media.getValue().path("examples").has(name)) {
                return true;
            }
        }
        return false;
    }

    /** The path with its path parameters' examples, and every query parameter's example. */
    private static String withParameterExamples(String path, JsonNode op) {
        StringBuilder query = new StringBuilder();
        for (JsonNode p : op.path("parameters")) {
            String value = p.get("example").asString();
            String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8);
            if (p.get("in").asString().equals("path")) {
                path = path.replace("{" + p.get("name").asString() + "}", encoded.replace("+", "%20"));
            } else {
                query.append(query.isEmpty() ? "?" : "&")
                        .append(p.get("name").asString())
                        .append('=')
                        .append(encoded);
            }
        }
        return path + query;
    }

    private Api.Response send(Call call) {
        if (call.method().equals("GET")) {
            return api.get(call.path());
        }
        String body = call.example().isString()
                ? call.example().asString()
                : call.example().toString();
        return api.post(call.path(), call.mediaType(), body);
    }

    /** A JSON example's one item (each element, for an array schema), or each line of an NDJSON one. */
    private static List<JsonNode> items(String mediaType, JsonNode example, boolean array) {
        if (array) {
            List<JsonNode> elements = new ArrayList<>();
            example.forEach(elements::add);
            return elements;
        }
        if (!example.isString()) {
            return List.of(example);
        }
        assertThat(mediaType).isEqualTo("application/x-ndjson");
        List<JsonNode> lines = new ArrayList<>();
        for (String line : example.asString().split("\n")) {
            if (!line.isBlank()) {
                lines.add(Api.JSON.readTree(line));
            }
        }
        return lines;
    }

    private static JsonNode withoutMoment(JsonNode node) {
        JsonNode copy = node.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode o) {
            OF_THE_MOMENT.forEach(o::remove);
        }
        node.forEach(OpenApiExamplesH2IT::strip);
    }
}
