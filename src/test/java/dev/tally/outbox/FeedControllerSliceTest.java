package dev.tally.outbox;

import static dev.tally.support.ProblemJson.assertProblem;
import static dev.tally.support.ProblemJson.errorFields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import dev.tally.security.SecurityOffSlice;
import dev.tally.support.WebSlice;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;

/**
 * The paging parameters of the feeds without a database: {@code FeedController} with the real
 * advice and the real security of the embedded default ({@link SecurityOffSlice}: its filter
 * chain permits every request), the outbox store a mock. Every broken parameter of
 * {@link AbstractFeedIT} is the same 400 problem here, and the store is never asked.
 */
@WebMvcTest(FeedController.class)
@Import(WebSlice.class)
class FeedControllerSliceTest {

    @Autowired
    MockMvc mvc;

    @MockitoBean
    OutboxStore outbox;

    @ParameterizedTest
    @MethodSource("dev.tally.outbox.AbstractFeedIT#badParameters")
    void badParametersAreA400NamingTheParameter(String query) throws Exception {
        for (String feed : List.of("/v1/notifications", "/v1/alerts")) {
            MockHttpServletResponse r =
                    mvc.perform(get(feed + "?" + query)).andReturn().getResponse();

            JsonNode problem = assertProblem(r, 400, "invalid-parameter", "Invalid query parameter");
            assertThat(errorFields(problem))
                    .as("%s?%s", feed, query)
                    .containsExactly(query.substring(0, query.indexOf('=')));
        }
        verifyNoInteractions(outbox);
    }
}
