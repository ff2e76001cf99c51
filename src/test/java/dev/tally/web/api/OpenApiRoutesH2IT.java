package dev.tally.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.IntegrationTestSupport;
import dev.tally.support.OpenApiDocument;
import dev.tally.support.UseH2;
import dev.tally.web.ProblemType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * The served OpenAPI document covers the API the application really maps: every route of Spring
 * MVC's handler mapping (but springdoc's own and the container's error page; the actuator has its
 * own mapping) is in it with its method and the statuses the code can answer, each with a schema
 * and an example; and its problem types are exactly {@link ProblemType}'s, as docs/errors.md lists.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@UseH2
class OpenApiRoutesH2IT extends IntegrationTestSupport {

    /**
     * What each route can answer, from SPEC §4 and the edge (a malformed query string is a 400 for
     * every route; the database's failure a 503; a bug a 500), written independently of the
     * document. A new route fails the test until it is added here and documented.
     */
    private static final Map<String, List<String>> ANSWERS = Map.of(
            "POST /v1/records", List.of("200", "201", "400", "409", "413", "415", "500", "503"),
            "POST /v1/records/batch", List.of("200", "400", "413", "415", "500", "503"),
            "GET /v1/records/{recordId}", List.of("200", "400", "404", "500", "503"),
            "GET /v1/aggregations", List.of("200", "400", "500", "503"),
            "GET /v1/notifications", List.of("200", "400", "500", "503"),
            "GET /v1/alerts", List.of("200", "400", "500", "503"));

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mappings;

    @Test
    void everyMappedRouteIsDocumentedWithItsMethodAndTheStatusesItCanAnswer() {
        OpenApiDocument doc = OpenApiDocument.fetch(api);
        Set<String> mapped = mappedRoutes();

        assertThat(mapped).as("the routes Spring MVC maps").containsExactlyInAnyOrderElementsOf(ANSWERS.keySet());
        assertThat(doc.operations().keySet())
                .as("the operations documented")
                .containsExactlyInAnyOrderElementsOf(mapped);
        for (String route : mapped) {
            JsonNode op = doc.operations().get(route);
            assertThat(OpenApiDocument.names(op.get("responses")))
                    .as("responses of %s", route)
                    .containsAll(ANSWERS.get(route))
                    .contains("default");
            assertThat(op.has("security"))
                    .as("security is off: %s needs no token", route)
                    .isFalse();
        }
    }

    @Test
    void everyParameterBodyAndResponseHasASchemaAndAnExample() {
        OpenApiDocument doc = OpenApiDocument.fetch(api);
        List<String> missing = new ArrayList<>();
        doc.operations().forEach((route, op) -> {
            for (JsonNode p : op.path("parameters")) {
                String where = route + " parameter " + p.get("name").asString();
                if (!p.has("schema")) {
                    missing.add(where + ": schema");
                }
                if (!p.has("example") && !p.has("examples")) {
                    missing.add(where + ": example");
                }
            }
            if (op.has("requestBody")) {
                assertThat(op.get("requestBody").get("required").asBoolean()).isTrue();
                checkContent(route + " request body", op.get("requestBody").get("content"), missing);
            }
            for (var response : op.get("responses").properties()) {
                String where = route + " " + response.getKey();
                JsonNode content = response.getValue().get("content");
                if (content == null) {
                    missing.add(where + ": content");
                    continue;
                }
                checkContent(where, content, missing);
                if (!response.getKey().startsWith("2")) {
                    assertThat(OpenApiDocument.names(content))
                            .as("%s is a problem", where)
                            .containsExactly("application/problem+json");
                    assertThat(content.get("application/problem+json")
                                    .get("schema")
                                    .get("$ref")
                                    .asString())
                            .isEqualTo("#/components/schemas/Problem");
                }
            }
            if (op.get("responses").has("503")) {
                assertThat(op.get("responses").get("503").get("headers").has("Retry-After"))
                        .as("%s 503 Retry-After", route)
                        .isTrue();
            }
        });
        assertThat(missing).isEmpty();

        JsonNode batch = doc.operations()
                .get("POST /v1/records/batch")
                .get("requestBody")
                .get("content");
        assertThat(OpenApiDocument.names(batch)).contains("application/json", "application/x-ndjson");
        JsonNode value = doc.componentSchema("RecordInput").get("properties").get("value");
        assertThat(value.get("type").toString()).isEqualTo("[\"number\",\"string\"]");
        assertThat(value.get("format").asString()).isEqualTo("decimal");
        assertThat(doc.componentSchema("Record")
                        .get("properties")
                        .get("value")
                        .get("type")
                        .asString())
                .isEqualTo("number");
    }

    @Test
    void theProblemTypesAreProblemTypesAndDocsErrorsListsExactlyThem() throws IOException {
        OpenApiDocument doc = OpenApiDocument.fetch(api);
        List<String> documented = new ArrayList<>();
        doc.componentSchema("Problem")
                .get("properties")
                .get("type")
                .get("enum")
                .forEach(t -> documented.add(t.asString()));
        List<String> all =
                Arrays.stream(ProblemType.values()).map(t -> t.uri().toString()).toList();
        assertThat(documented).containsExactlyElementsOf(all);
        assertThat(all).allMatch(uri -> uri.startsWith("urn:tally:problem:"));

        String errorsMd = Files.readString(Path.of("docs/errors.md"), StandardCharsets.UTF_8);
        Set<String> listed = new TreeSet<>();
        Matcher m = Pattern.compile("urn:tally:problem:[a-z-]+").matcher(errorsMd);
        while (m.find()) {
            listed.add(m.group());
        }
        assertThat(listed).containsExactlyInAnyOrderElementsOf(all);
        for (ProblemType t : ProblemType.values()) {
            assertThat(errorsMd)
                    .as("docs/errors.md's heading of %s", t)
                    .contains("### `" + t.uri() + "` — " + t.status());
        }
    }

    private Set<String> mappedRoutes() {
        Set<String> routes = new LinkedHashSet<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> e :
                mappings.getHandlerMethods().entrySet()) {
            Class<?> handler = e.getValue().getBeanType();
            if (handler.getName().startsWith("org.springdoc.") || ErrorController.class.isAssignableFrom(handler)) {
                continue; // the documentation's own routes, and the container's error page (/error)
            }
            for (String pattern : e.getKey().getPatternValues()) {
                assertThat(e.getKey().getMethodsCondition().getMethods())
                        .as("methods of %s", pattern)
                        .isNotEmpty();
                e.getKey().getMethodsCondition().getMethods().forEach(method -> routes.add(method + " " + pattern));
            }
        }
        return routes;
    }

    private static void checkContent(String where, JsonNode content, List<String> missing) {
        for (var media : content.properties()) {
            JsonNode m = media.getValue();
            if (!m.has("schema")) {
                missing.add(where + " " + media.getKey() + ": schema");
            }
            if (!m.has("example") && (!m.has("examples") || m.get("examples").isEmpty())) {
                missing.add(where + " " + media.getKey() + ": example");
            }
        }
    }
}
