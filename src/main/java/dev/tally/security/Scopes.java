package dev.tally.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.HttpMethod;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Which scope each call needs (standard {@code scope}/{@code scp} claim, read as the authority
 * {@code SCOPE_<scope>}). One table, used both to authorize and to name the missing scope in a
 * {@code 403}. The health probes are open and not listed; everything not listed is refused.
 */
final class Scopes {

    static final String RECORDS_WRITE = "records:write";
    static final String RECORDS_READ = "records:read";
    static final String FEEDS_READ = "feeds:read";
    static final String OPS_READ = "ops:read";
    /** Actuator write operations (e.g. resuming a stalled relay): acting on the service is more than reading it. */
    static final String OPS_WRITE = "ops:write";

    /** Open to anyone, with security on or off: status only, never details (see application.properties). */
    static final List<String> PROBES =
            List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness");

    /**
     * The API's documentation (springdoc's default paths): the OpenAPI document and Swagger UI, open
     * to anyone for GET, with security on or off. They state the public contract and hold no data;
     * {@code springdoc.api-docs.enabled=false} and {@code springdoc.swagger-ui.enabled=false} turn
     * them off (docs/security.md).
     */
    static final List<String> DOCS =
            List.of("/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml", "/swagger-ui.html", "/swagger-ui/**");

    record Rule(HttpMethod method, String pattern, String scope) {
        RequestMatcher matcher() {
            return PathPatternRequestMatcher.withDefaults().matcher(method, pattern);
        }

        String authority() {
            return "SCOPE_" + scope;
        }
    }

    static final List<Rule> RULES = List.of(
            new Rule(HttpMethod.POST, "/v1/records", RECORDS_WRITE),
            new Rule(HttpMethod.POST, "/v1/records/batch", RECORDS_WRITE),
            new Rule(HttpMethod.GET, "/v1/records/*", RECORDS_READ),
            new Rule(HttpMethod.GET, "/v1/aggregations", RECORDS_READ),
            new Rule(HttpMethod.GET, "/v1/notifications", FEEDS_READ),
            new Rule(HttpMethod.GET, "/v1/alerts", FEEDS_READ),
            // feeds added later (streams) go under /v1/feeds/
            new Rule(HttpMethod.GET, "/v1/feeds/**", FEEDS_READ),
            new Rule(HttpMethod.POST, "/actuator/**", OPS_WRITE),
            new Rule(HttpMethod.DELETE, "/actuator/**", OPS_WRITE),
            new Rule(null, "/actuator/**", OPS_READ));

    private Scopes() {}

    /** The scope the request needs, or null when no rule grants it to any token. */
    static String requiredFor(HttpServletRequest request) {
        for (Rule rule : RULES) {
            if (rule.matcher().matches(request)) {
                return rule.scope();
            }
        }
        return null;
    }
}
