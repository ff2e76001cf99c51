package dev.tally.web;

import static dev.tally.support.Rec.rec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Api;
import dev.tally.support.IntegrationTestSupport;
import dev.tally.support.RawHttp;
import dev.tally.support.Rec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/**
 * The edge speaks one error language (item 5 of issue 9): every refusal, whether Tomcat's, the
 * servlet container's or Spring's, is an RFC 9457 problem with type, title, status and detail,
 * and none of them logs an ERROR. Requests an HTTP client would refuse to send or would normalise
 * go over a raw socket. Before: Tomcat's HTML page (malformed URIs; 400 for over-long request
 * lines and headers), Spring Boot's {@code {"timestamp","status","error","path"}} for TRACE and for
 * {@code ?=} (with an ERROR stack trace per request), and {@code abc;x=1} read the record {@code abc}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
abstract class AbstractEdgeErrorsIT extends IntegrationTestSupport {

    @ParameterizedTest(name = "GET /v1/records/{0}")
    @ValueSource(strings = {"%00", "%ZZ", "%C0%AF", "%", "%2", "a%00b", "%FF%FE"})
    final void aMalformedPercentEncodingIsA400Problem(String segment, CapturedOutput log) {
        RawHttp.Response r = RawHttp.send(port, "GET /v1/records/" + segment + " HTTP/1.1\r\nHost: 127.0.0.1");

        assertProblem(r.status(), r.contentType(), r.json(), 400);
        assertNoErrorLogged(log);
    }

    @Test
    final void anOverLongRequestLineIsA414Problem(CapturedOutput log) {
        RawHttp.Response r =
                RawHttp.send(port, "GET /v1/records/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: 127.0.0.1");

        assertProblem(r.status(), r.contentType(), r.json(), 414);
        assertNoErrorLogged(log);
    }

    @Test
    final void overLongHeadersAreA431Problem(CapturedOutput log) {
        RawHttp.Response one =
                RawHttp.send(port, "GET /v1/records/x HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(20_000));
        StringBuilder many = new StringBuilder("GET /v1/records/x HTTP/1.1\r\nHost: 127.0.0.1");
        for (int i = 0; i < 400; i++) {
            many.append("\r\nX-H").append(i).append(": ").append("v".repeat(40));
        }
        RawHttp.Response several = RawHttp.send(port, many.toString());

        assertProblem(one.status(), one.contentType(), one.json(), 431);
        assertProblem(several.status(), several.contentType(), several.json(), 431);
        assertNoErrorLogged(log);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TRACE /v1/records/x", "TRACE /v1/aggregations", "TRACE /nowhere"})
    final void traceIsA405Problem(String request, CapturedOutput log) {
        RawHttp.Response r = RawHttp.send(port, request + " HTTP/1.1\r\nHost: 127.0.0.1");

        assertProblem(r.status(), r.contentType(), r.json(), 405);
        assertNoErrorLogged(log);
    }

    @ParameterizedTest(name = "GET {0}")
    @ValueSource(
            strings = {
                "/v1/aggregations?=",
                "/v1/notifications?=",
                "/v1/alerts?=",
                "/v1/records/x?=",
                "/actuator/health?=",
                "/v1/aggregations?type=positive&=x",
                "/v1/aggregations?a=%ZZ",
                "/nowhere?="
            })
    final void aMalformedQueryStringIsA400ProblemWithoutAnErrorLogged(String pathAndQuery, CapturedOutput log) {
        RawHttp.Response r = RawHttp.send(port, "GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1");

        assertProblem(r.status(), r.contentType(), r.json(), 400);
        assertNoErrorLogged(log);
    }

    @Test
    final void springsOwnRefusalsCarryAType(CapturedOutput log) {
        Api.Response noSuchPath = api.get("/nowhere");
        Api.Response wrongMethod = api.post("/v1/aggregations", "application/json", "{}");
        Api.Response wrongType = api.post("/v1/records", "text/plain", "hello");

        assertProblem(noSuchPath.status(), noSuchPath.contentType(), noSuchPath.json(), 404);
        assertProblem(wrongMethod.status(), wrongMethod.contentType(), wrongMethod.json(), 405);
        assertThat(wrongType.contentType()).startsWith("application/problem+json");
        assertThat(wrongType.json().get("type").asString()).isNotBlank();
        assertNoErrorLogged(log);
    }

    /**
     * A POST body that says it is neither JSON nor NDJSON is refused as such (415), never read as
     * if it were JSON: no Content-Type, text/plain, a form, XML. The Accept header names what is
     * taken, and nothing is stored even when the bytes would be a valid record.
     */
    @ParameterizedTest(name = "POST {0} as {1}")
    @org.junit.jupiter.params.provider.CsvSource({
        "/v1/records, text/plain",
        "/v1/records, application/x-www-form-urlencoded",
        "/v1/records, application/xml",
        "/v1/records, application/x-ndjson",
        "/v1/records/batch, text/plain",
        "/v1/records/batch, application/octet-stream",
        "/v1/records/batch, multipart/form-data; boundary=x"
    })
    void aBodyOfAnotherMediaTypeIsA415Problem(String path, String contentType, CapturedOutput log) {
        String body = path.endsWith("batch")
                ? Rec.array(java.util.List.of(rec("m-1")))
                : rec("m-1").json();
        Api.Response r = api.post(path, contentType, body);

        assertProblem(r.status(), r.contentType(), r.json(), 415);
        assertThat(r.json().get("type").asString()).isEqualTo("urn:tally:problem:unsupported-media-type");
        assertThat(r.json().get("detail").asString()).contains("application/json");
        assertThat(count("records")).isZero();
        assertNoErrorLogged(log);
    }

    @Test
    void aBodyWithoutContentTypeIsA415Problem() {
        RawHttp.Response r = RawHttp.send(port, "POST /v1/records HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0");

        assertProblem(r.status(), r.contentType(), r.json(), 415);
        assertThat(r.json().get("detail").asString()).contains("no Content-Type");
    }

    /**
     * A literal {@code ;} is part of the recordId (RFC 3986 allows it in a segment; a URI template
     * that does not encode it sends it so), exactly as {@code %3B} is: never a path parameter that
     * silently leaves another record's id.
     */
    @Test
    final void aRecordIdWithASemicolonIsReadExactlyAndNeverConfusedWithAnother() {
        assertThat(postOne(rec("abc")).status()).isEqualTo(201);
        assertThat(api.get("/v1/records/abc;x=1").status()).as("not stored yet").isEqualTo(404);

        Api.Response created = postOne(rec("abc;x=1").ref("semicolon"));
        assertThat(created.status()).isEqualTo(201);

        assertThat(api.get("/v1/records/abc;x=1").json().get("recordId").asString())
                .isEqualTo("abc;x=1");
        assertThat(api.get("/v1/records/abc%3Bx=1").json().get("recordId").asString())
                .isEqualTo("abc;x=1");
        assertThat(api.get("/v1/records/abc%3bx%3D1").json().get("reference").asString())
                .isEqualTo("semicolon");
        assertThat(api.get(created.location()).json().get("recordId").asString())
                .isEqualTo("abc;x=1");
        assertThat(api.get("/v1/records/abc").json().get("reference").asString())
                .isEqualTo("inv-1");
        assertThat(api.get("/v1/records/abc;").status())
                .as("the id abc; was never stored")
                .isEqualTo(404);
    }

    private static void assertProblem(int status, String contentType, JsonNode json, int expectedStatus) {
        assertThat(status).isEqualTo(expectedStatus);
        assertThat(contentType).startsWith("application/problem+json");
        assertThat(json).as("a JSON body").isNotNull();
        assertThat(json.get("type").asString()).startsWith("urn:tally:problem:");
        assertThat(json.get("title").asString()).isNotBlank();
        assertThat(json.get("status").asInt()).isEqualTo(expectedStatus);
        assertThat(json.get("detail").asString()).isNotBlank();
    }

    private static void assertNoErrorLogged(CapturedOutput log) {
        assertThat(log.getOut()).doesNotContain(" ERROR ");
    }
}
