package dev.tally.query;

import static dev.tally.support.ProblemJson.assertProblem;
import static dev.tally.support.ProblemJson.errorFields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.tally.security.SecurityOffSlice;
import dev.tally.store.AggregationReader;
import dev.tally.support.WebSlice;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.databind.JsonNode;

/**
 * The parameters of {@code GET /v1/aggregations} without a database: the controller with the real
 * advice and the real security of the embedded default ({@link SecurityOffSlice}: its filter chain
 * permits every request), the store's reader a mock. Every broken parameter of
 * {@link AbstractAggregationIT} is the same 400 problem here, and the reader is never asked.
 */
@WebMvcTest(AggregationController.class)
@Import(WebSlice.class)
class AggregationControllerSliceTest {

    @Autowired
    MockMvc mvc;

    @MockitoBean
    AggregationReader reader;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tally.query.AbstractAggregationIT#badParameters")
    void badParametersAreA400NamingTheParameter(String rawQuery, String parameter) throws Exception {
        MockHttpServletResponse r = mvc.perform(withQuery(get("/v1/aggregations"), rawQuery))
                .andReturn()
                .getResponse();

        JsonNode problem = assertProblem(r, 400, "invalid-parameter", "Invalid query parameter");
        assertThat(errorFields(problem)).contains(parameter);
        verifyNoInteractions(reader);
    }

    @Test
    void anotherMethodIsA405Problem() throws Exception {
        MockHttpServletResponse r = mvc.perform(
                        post("/v1/aggregations").contentType("application/json").content("{}"))
                .andReturn()
                .getResponse();

        assertProblem(r, 405, "method-not-allowed", "Method not allowed");
        verifyNoInteractions(reader);
    }

    /**
     * The raw query's parameters decoded as the servlet container decodes a query string
     * ({@code +} is a space, {@code %2B} a plus): MockMvc's own parsing of a URI keeps a {@code +}.
     */
    private static MockHttpServletRequestBuilder withQuery(MockHttpServletRequestBuilder request, String rawQuery) {
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            request.param(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
        }
        return request;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
