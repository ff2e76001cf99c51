package dev.tally.web;

import static dev.tally.support.ProblemJson.assertProblem;
import static dev.tally.support.ProblemJson.errorFields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.tally.security.SecurityOffSlice;
import dev.tally.support.WebSlice;
import jakarta.servlet.RequestDispatcher;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.RequestBuilder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * The shared edge's problem JSON without a database: {@link ProblemAdvice} for the edge's own
 * exceptions and for Spring's refusals, and {@link ErrorProblemController} for the container's
 * error page, with the real security of the embedded default ({@link SecurityOffSlice}: its filter
 * chain permits every request). A controller of this test throws what the real controllers throw.
 * What only Tomcat does (malformed URIs, over-long request lines and headers, malformed query
 * strings) needs the real server: {@code AbstractEdgeErrorsIT}.
 */
@WebMvcTest(ErrorProblemController.class)
@Import({WebSlice.class, ProblemHandlingSliceTest.Refusals.class})
class ProblemHandlingSliceTest {

    @Autowired
    MockMvc mvc;

    /** Throws the edge's exceptions, and declares what Spring refuses on its own. */
    @RestController
    static class Refusals {

        @PostMapping("/test/malformed")
        void malformed() {
            throw new MalformedBody("Malformed JSON: Unexpected end-of-input");
        }

        @PostMapping("/test/too-large")
        void tooLarge() {
            throw new BodyTooLarge("The record is larger than 1048576 bytes");
        }

        @GetMapping("/test/bad-parameters")
        void badParameters() {
            throw new BadParameter(List.of(
                    new InvalidField("after", "must be an integer from 0 to 9223372036854775807"),
                    new InvalidField("limit", "must be an integer from 1 to 10000")));
        }

        @GetMapping("/test/required")
        String required(@RequestParam String q) {
            return q;
        }

        @PostMapping(value = "/test/json-only", consumes = "application/json")
        void jsonOnly() {}
    }

    @Test
    void aMalformedBodyIsA400() throws Exception {
        assertProblem(send(post("/test/malformed")), 400, "malformed-json", "Malformed JSON");
    }

    @Test
    void aBodyTooLargeIsA413() throws Exception {
        assertProblem(send(post("/test/too-large")), 413, "too-large", "Content too large");
    }

    @Test
    void badParametersAreA400NamingEachParameter() throws Exception {
        JsonNode problem =
                assertProblem(send(get("/test/bad-parameters")), 400, "invalid-parameter", "Invalid query parameter");

        assertThat(errorFields(problem)).containsExactly("after", "limit");
        assertThat(problem.get("detail").asString()).contains("after", "limit");
    }

    @Test
    void springsOwnRefusalsCarryTheTypeOfTheirStatus() throws Exception {
        assertProblem(send(get("/nowhere")), 404, "not-found", "Not found");
        assertProblem(send(post("/test/required")), 405, "method-not-allowed", "Method not allowed");
        assertProblem(send(get("/test/required")), 400, "bad-request", "Bad request");
        assertProblem(
                send(post("/test/json-only").contentType("text/plain").content("hello")),
                415,
                "unsupported-media-type",
                "Unsupported media type");
    }

    /** The container forwards every {@code sendError} and escaped exception here (SPEC's one error language). */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "400, bad-request, Bad request",
        "404, not-found, Not found",
        "405, method-not-allowed, Method not allowed",
        "414, uri-too-long, URI too long",
        "431, headers-too-large, Request headers too large",
        "500, internal-error, Internal error",
        "503, unavailable, Service unavailable"
    })
    void theErrorPageIsAProblemForTheStatus(int status, String type, String title) throws Exception {
        MockHttpServletResponse r = send(get("/error")
                .requestAttr(RequestDispatcher.ERROR_STATUS_CODE, status)
                .requestAttr(RequestDispatcher.ERROR_REQUEST_URI, "/v1/records/x"));

        JsonNode problem = assertProblem(r, status, type, title);
        assertThat(problem.get("instance").asString()).isEqualTo("/v1/records/x");
    }

    @Test
    void theErrorPageAskedForItselfIsA404() throws Exception {
        assertProblem(send(get("/error")), 404, "not-found", "Not found");
    }

    private MockHttpServletResponse send(RequestBuilder request) throws Exception {
        return mvc.perform(request).andReturn().getResponse();
    }
}
