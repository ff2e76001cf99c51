package dev.tally.security;

import dev.tally.web.api.ApiDocs;
import dev.tally.web.api.ApiExamples;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * With security on, the OpenAPI document says what a call needs: the {@code bearer} scheme (a JWT),
 * on each operation the scope of {@link Scopes#RULES} (OpenAPI 3.1 lets a non-OAuth2 requirement
 * list roles), and the {@code 401} and {@code 403} problems. With security off the document has
 * none of these, because no call needs a token.
 */
final class BearerTokenDocs implements OpenApiCustomizer {

    static final String SCHEME = "bearer";

    @Override
    public void customise(OpenAPI openApi) {
        openApi.getComponents()
                .addSecuritySchemes(
                        SCHEME,
                        new SecurityScheme()
                                .type(SecurityScheme.Type.HTTP)
                                .scheme("bearer")
                                .bearerFormat("JWT")
                                .description("A JWT from the configured issuer or key, with the call's scope in"
                                        + " scope/scp; writers also need tally_sources (docs/security.md)."));
        if (openApi.getPaths() == null) {
            return;
        }
        openApi.getPaths().forEach((path, item) -> {
            for (Map.Entry<PathItem.HttpMethod, Operation> op :
                    item.readOperationsMap().entrySet()) {
                String scope = scopeOf(HttpMethod.valueOf(op.getKey().name()), path);
                if (scope != null) {
                    document(op.getValue(), scope, op.getKey() == PathItem.HttpMethod.POST);
                }
            }
        });
    }

    private static void document(Operation operation, String scope, boolean writes) {
        operation.addSecurityItem(new SecurityRequirement().addList(SCHEME, List.of(scope)));
        operation
                .getResponses()
                .addApiResponse(
                        "401",
                        ApiDocs.problemResponse(
                                "unauthorized: no bearer token, or one that is malformed, badly signed or expired",
                                "unauthorized",
                                ApiExamples.PROBLEM_UNAUTHORIZED));
        var forbidden = ApiDocs.problemResponse(
                "insufficient-scope: the token lacks the scope " + scope
                        + (writes ? "; forbidden-source: tally_sources does not list the record's sourceId" : ""),
                "insufficient-scope",
                ApiExamples.PROBLEM_INSUFFICIENT_SCOPE);
        if (writes) {
            forbidden
                    .getContent()
                    .values()
                    .iterator()
                    .next()
                    .addExamples("forbidden-source", ApiDocs.example(ApiExamples.PROBLEM_FORBIDDEN_SOURCE));
        }
        operation.getResponses().addApiResponse("403", forbidden);
    }

    /** The scope of the first rule matching a documented path, a template variable standing for any segment. */
    private static String scopeOf(HttpMethod method, String documentedPath) {
        PathContainer concrete = PathContainer.parsePath(documentedPath.replaceAll("\\{[^}/]+}", "x"));
        for (Scopes.Rule rule : Scopes.RULES) {
            if ((rule.method() == null || rule.method().equals(method))
                    && PathPatternParser.defaultInstance.parse(rule.pattern()).matches(concrete)) {
                return rule.scope();
            }
        }
        return null;
    }
}
