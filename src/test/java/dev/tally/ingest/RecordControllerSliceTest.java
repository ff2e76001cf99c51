package dev.tally.ingest;

import static dev.tally.support.ProblemJson.assertProblem;
import static dev.tally.support.ProblemJson.errorFields;
import static dev.tally.support.ProblemJson.json;
import static dev.tally.support.Rec.rec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willReturn;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.tally.processing.GroupCommitter;
import dev.tally.processing.Outcome;
import dev.tally.processing.Overloaded;
import dev.tally.processing.RecordCounter;
import dev.tally.record.TallyRecord;
import dev.tally.security.SecurityOffSlice;
import dev.tally.store.RecordStore;
import dev.tally.support.Rec;
import dev.tally.support.WebSlice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.RequestBuilder;
import tools.jackson.databind.JsonNode;

/**
 * The HTTP edge of ingest without a database: {@code RecordController} with the real advice and
 * the real security of the embedded default ({@link SecurityOffSlice}: its filter chain permits
 * every request), the group committer and the record store replaced by mocks. The input rules of
 * {@link AbstractValidationIT} give the same problems here; a refused record never reaches the
 * committer, which is what "nothing is stored" means at this layer.
 */
@WebMvcTest(RecordController.class)
@Import(WebSlice.class)
class RecordControllerSliceTest {

    private static final String JSON = "application/json";

    @Autowired
    MockMvc mvc;

    @MockitoBean
    GroupCommitter committer;

    @MockitoBean
    RecordStore records;

    @MockitoBean
    RecordCounter counter;

    /** Every submitted record is accepted, as a committer over an empty database answers. */
    @BeforeEach
    void acceptEverything() throws InterruptedException {
        given(committer.submit(any(), any())).willAnswer(call -> {
            List<TallyRecord> submitted = call.getArgument(0);
            List<Outcome> outcomes = new ArrayList<>();
            submitted.forEach(r -> outcomes.add(Outcome.ACCEPTED));
            return CompletableFuture.completedFuture(outcomes);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tally.ingest.AbstractValidationIT#invalidRecords")
    void anInvalidRecordIsA400NamingTheField(String description, String body, String field) throws Exception {
        MockHttpServletResponse r = send(post("/v1/records").contentType(JSON).content(body));

        JsonNode problem = assertProblem(r, 400, "invalid-record", "Invalid record");
        assertThat(errorFields(problem)).as(body).containsExactly(field);
        assertThat(problem.get("errors").get(0).get("message").asString()).isNotBlank();
        assertThat(problem.get("detail").asString()).contains(field);
        verifyNoInteractions(committer);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tally.ingest.AbstractValidationIT#invalidRecords")
    void anInvalidBatchItemIsReportedAndTheValidItemsProceed(String description, String body, String field)
            throws Exception {
        MockHttpServletResponse r = send(post("/v1/records/batch")
                .contentType(JSON)
                .content("[" + rec("good-1").json() + "," + body + ","
                        + rec("good-2").json() + "]"));

        assertThat(r.getStatus()).isEqualTo(200);
        JsonNode results = json(r).get("results");
        assertThat(results.findValuesAsString("outcome")).containsExactly("accepted", "invalid", "accepted");
        assertThat(errorFields(results.get(1))).containsExactly(field);
    }

    @Test
    void everyBrokenRuleOfOneRecordIsNamed() throws Exception {
        String body = rec("bad-1")
                .time("2026-03-01T12:00:00")
                .type("credit")
                .number("-1")
                .unit("")
                .json();

        JsonNode problem = assertProblem(
                send(post("/v1/records").contentType(JSON).content(body)), 400, "invalid-record", "Invalid record");
        assertThat(errorFields(problem)).containsExactlyInAnyOrder("time", "type", "value", "unit");
        verifyNoInteractions(committer);
    }

    @ParameterizedTest
    @MethodSource("dev.tally.support.MalformedBodies#singleRecord")
    void malformedJsonIsA400(String body) throws Exception {
        assertProblem(
                send(post("/v1/records").contentType(JSON).content(body)), 400, "malformed-json", "Malformed JSON");
        verifyNoInteractions(committer);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[", "{}", "[{\"recordId\":\"good-1\"}", "not json", "", "null"})
    void aMalformedBatchBodyIsA400(String body) throws Exception {
        assertProblem(
                send(post("/v1/records/batch").contentType(JSON).content(body)),
                400,
                "malformed-json",
                "Malformed JSON");
        verifyNoInteractions(committer);
    }

    @Test
    void aJsonArrayBatchOfMoreThanMaxBatchItemsIsA413() throws Exception {
        List<Rec> many = new ArrayList<>();
        for (int i = 0; i <= 10_000; i++) {
            many.add(rec("m-" + i));
        }

        assertProblem(
                send(post("/v1/records/batch").contentType(JSON).content(Rec.array(many))),
                413,
                "too-large",
                "Content too large");
        verifyNoInteractions(committer);
    }

    @Test
    void aRecordLargerThanMaxRecordBytesIsA413() throws Exception {
        String huge = "{\"pad\":\"" + "x".repeat(1_100_000) + "\","
                + rec("big-1").json().substring(1);

        assertProblem(send(post("/v1/records").contentType(JSON).content(huge)), 413, "too-large", "Content too large");
        verifyNoInteractions(committer);
    }

    @Test
    void aConflictIsA409NamingTheDifferingFields() throws Exception {
        willReturn(CompletableFuture.completedFuture(List.of(Outcome.conflict(List.of("value")))))
                .given(committer)
                .submit(any(), any());

        JsonNode problem = assertProblem(
                send(post("/v1/records").contentType(JSON).content(rec("r-1").json())),
                409,
                "conflict",
                "Conflicting record");
        assertThat(problem.get("differingFields").get(0).asString()).isEqualTo("value");
        assertThat(errorFields(problem)).containsExactly("value");
    }

    @Test
    void aFullQueueIsA503WithRetryAfter() throws Exception {
        willThrow(new Overloaded("The queue is full", Duration.ofSeconds(3)))
                .given(committer)
                .submit(any(), any());

        MockHttpServletResponse r =
                send(post("/v1/records").contentType(JSON).content(rec("r-1").json()));

        assertProblem(r, 503, "overloaded", "Overloaded");
        assertThat(r.getHeader("Retry-After")).isEqualTo("3");
    }

    @Test
    void anUnknownRecordIsA404() throws Exception {
        given(records.findById("nope")).willReturn(Optional.empty());

        assertProblem(send(get("/v1/records/nope")), 404, "not-found", "Not found");
    }

    @Test
    void aBodyThatIsNotJsonIsAProblemWithAType() throws Exception {
        MockHttpServletResponse r =
                send(post("/v1/records").contentType("text/plain").content("hello"));

        assertThat(r.getContentType()).startsWith("application/problem+json");
        assertThat(json(r).get("type").asString()).isNotBlank();
    }

    private MockHttpServletResponse send(RequestBuilder request) throws Exception {
        return mvc.perform(request).andReturn().getResponse();
    }
}
