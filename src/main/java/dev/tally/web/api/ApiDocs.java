package dev.tally.web.api;

import dev.tally.web.EdgeProblems;
import dev.tally.web.ProblemType;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The parts of the OpenAPI document that no single controller owns: its head, the list of problem
 * types ({@link ProblemType}, as the {@code Problem} schema's {@code type} enum), and the problem
 * responses that every operation can give because the edge gives them before or around any
 * controller: {@code 400} (a malformed query string), {@code 500}, {@code 503} with
 * {@code Retry-After}, and {@code default} for the refusals of the server itself (414, 431...).
 */
@Configuration(proxyBeanMethods = false)
public class ApiDocs {

    static final String PROBLEM = "Problem";
    static final String PROBLEM_REF = "#/components/schemas/" + PROBLEM;

    @Bean
    OpenAPI tallyOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("Tally")
                        .version("v1")
                        .description("Exactly-once ingest, aggregation and notification feeds for financial records."
                                + " Decimals are exact JSON numbers (never binary floats; a record's value may also"
                                + " be sent as a string); times are ISO-8601 with an offset on input, UTC on output."
                                + " Every error is an RFC 9457 problem whose type is a urn:tally:problem: URI,"
                                + " listed in the Problem schema and in docs/errors.md."))
                .components(new Components());
    }

    @Bean
    OpenApiCustomizer problemTypesAndSharedResponses() {
        return openApi -> {
            Map<String, Schema> schemas = openApi.getComponents().getSchemas();
            if (schemas != null && schemas.get(PROBLEM) != null) {
                describeTypes(schemas.get(PROBLEM));
            }
            if (schemas != null) {
                schemas.values().forEach(ApiDocs::allowNullInNullableEnums);
            }
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().values().stream()
                    .flatMap(item -> item.readOperations().stream())
                    .forEach(ApiDocs::addSharedResponses);
            ExactExamples exact = new ExactExamples();
            openApi.getPaths().values().stream()
                    .flatMap(item -> item.readOperations().stream())
                    .forEach(exact::restore);
        };
    }

    @SuppressWarnings("unchecked")
    private static void describeTypes(Schema<?> problem) {
        Schema<Object> type = (Schema<Object>) problem.getProperties().get("type");
        type.setEnum(Arrays.stream(ProblemType.values())
                .map(t -> (Object) t.uri().toString())
                .toList());
        StringBuilder d = new StringBuilder("One of these stable URIs (docs/errors.md):");
        for (ProblemType t : ProblemType.values()) {
            d.append("\n- `")
                    .append(t.uri())
                    .append("` (")
                    .append(t.status())
                    .append(", ")
                    .append(t.title())
                    .append("): ")
                    .append(t.advice());
        }
        type.setDescription(d.toString());
    }

    /** A property of type {@code [string, null]} with an enum needs null in the enum too (JSON Schema). */
    @SuppressWarnings("unchecked")
    private static void allowNullInNullableEnums(Schema<?> schema) {
        if (schema.getProperties() == null) {
            return;
        }
        for (Schema<?> property : schema.getProperties().values()) {
            Schema<Object> p = (Schema<Object>) property;
            if (p.getTypes() != null
                    && p.getTypes().contains("null")
                    && p.getEnum() != null
                    && !p.getEnum().contains(null)) {
                List<Object> values = new ArrayList<>(p.getEnum());
                values.add(null);
                p.setEnum(values);
            }
        }
    }

    private static void addSharedResponses(Operation operation) {
        ApiResponses responses = operation.getResponses();
        if (operation.getRequestBody() != null) {
            List<String> types =
                    new ArrayList<>(operation.getRequestBody().getContent().keySet());
            responses.computeIfAbsent(
                    "415",
                    s -> problemResponse(
                                    "unsupported-media-type: a Content-Type other than " + String.join(", ", types)
                                            + " (or none); the Accept header lists those taken",
                                    "unsupported-media-type",
                                    ApiExamples.PROBLEM_UNSUPPORTED_MEDIA_TYPE)
                            .headers(Map.of(
                                    "Accept",
                                    new Header()
                                            .description("The media types this call takes")
                                            .schema(new StringSchema()))));
        }
        responses.computeIfAbsent(
                "400",
                s -> problemResponse(
                        "The query string is malformed (bad-request)", "bad-request", ApiExamples.PROBLEM_BAD_REQUEST));
        responses.computeIfAbsent(
                "500",
                s -> problemResponse(
                        "A bug, logged (internal-error)", "internal-error", ApiExamples.PROBLEM_INTERNAL_ERROR));
        if (!responses.containsKey("503")) {
            responses.addApiResponse(
                    "503",
                    problemResponse(
                                    "The database is unavailable (unavailable); retry after Retry-After seconds",
                                    "unavailable",
                                    ApiExamples.PROBLEM_UNAVAILABLE)
                            .headers(Map.of("Retry-After", retryAfter())));
        }
        responses.computeIfAbsent(
                "default",
                s -> new ApiResponse()
                        .description("Any other refusal of the server or the edge (405 method-not-allowed, 414"
                                + " uri-too-long, 431 headers-too-large, ...): a problem of the type of its status")
                        .content(problemContent(
                                Map.of("uri-too-long", new Example().value(json(ApiExamples.PROBLEM_URI_TOO_LONG))))));
    }

    /** A problem response: the {@code Problem} schema and one example, exact (for the security's 401 and 403 too). */
    public static ApiResponse problemResponse(String description, String exampleName, String exampleJson) {
        return new ApiResponse()
                .description(description)
                .content(problemContent(Map.of(exampleName, new Example().value(json(exampleJson)))));
    }

    static Content problemContent(Map<String, Example> examples) {
        MediaType media = new MediaType().schema(new Schema<>().$ref(PROBLEM_REF));
        if (!examples.isEmpty()) {
            media.setExamples(new java.util.LinkedHashMap<>(examples));
        }
        return new Content().addMediaType(EdgeProblems.MEDIA_TYPE, media);
    }

    static Header retryAfter() {
        return new Header()
                .description("Seconds to wait before resending (resending is safe: processing is idempotent)")
                .schema(new IntegerSchema().minimum(java.math.BigDecimal.ONE));
    }

    /** An example of the document, from one of the {@link ApiExamples} texts. */
    public static Example example(String exampleJson) {
        return new Example().value(json(exampleJson));
    }

    /** An example as a JSON value with its decimals exact, so that the document holds JSON, not a string. */
    static Object json(String text) {
        return ExactExamples.parse(text);
    }
}
