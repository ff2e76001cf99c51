package dev.tally.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.JsonNode;

/**
 * What the {@code @WebMvcTest} slices read from a MockMvc answer: an RFC 9457 problem (status,
 * {@code application/problem+json}, type, title and status member) and its {@code errors} field
 * names, as the integration tests read them from the running service.
 */
public final class ProblemJson {

    private ProblemJson() {}

    /** The problem type URI for a type name, as {@code web.ProblemType} names it. */
    public static String type(String name) {
        return "urn:tally:problem:" + name;
    }

    /** Asserts {@code r} is the problem {@code status}/{@code type}/{@code title} and returns its JSON. */
    public static JsonNode assertProblem(MockHttpServletResponse r, int status, String type, String title) {
        JsonNode json = json(r);
        assertThat(r.getStatus()).as(body(r)).isEqualTo(status);
        assertThat(r.getContentType()).startsWith("application/problem+json");
        assertThat(json.get("type").asString()).as(body(r)).isEqualTo(type(type));
        assertThat(json.get("title").asString()).isEqualTo(title);
        assertThat(json.get("status").asInt()).isEqualTo(status);
        assertThat(json.get("detail").asString()).isNotBlank();
        return json;
    }

    public static JsonNode json(MockHttpServletResponse r) {
        return Api.JSON.readTree(body(r));
    }

    public static String body(MockHttpServletResponse r) {
        try {
            return r.getContentAsString(StandardCharsets.UTF_8);
        } catch (java.io.UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The field names of a problem's or a batch item's {@code errors}, in order. */
    public static List<String> errorFields(JsonNode withErrors) {
        List<String> fields = new ArrayList<>();
        JsonNode errors = withErrors.get("errors");
        if (errors != null) {
            errors.forEach(e -> fields.add(e.get("field").asString()));
        }
        return fields;
    }
}
