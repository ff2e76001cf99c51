package dev.tally.security;

import dev.tally.web.EdgeProblems;
import dev.tally.web.ProblemType;
import dev.tally.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * The refusals of the security filters as RFC 9457 problems, like every other error of the API.
 * Spring Security's bearer-token handlers set the status and the RFC 6750 {@code WWW-Authenticate}
 * header ({@code Bearer}, with {@code error="invalid_token"} or {@code "insufficient_scope"});
 * these add the body. Neither the token nor the request body is ever written or logged.
 */
final class ProblemResponses {

    private ProblemResponses() {}

    /** 401: no token, or one that is malformed, badly signed, expired or not yet valid. */
    static AuthenticationEntryPoint unauthorized() {
        BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
        return (request, response, e) -> {
            bearer.commence(request, response, e);
            write(request, response, ProblemType.UNAUTHORIZED, detail(e));
        };
    }

    /** 403: a valid token without the scope the call needs. */
    static AccessDeniedHandler forbidden() {
        BearerTokenAccessDeniedHandler bearer = new BearerTokenAccessDeniedHandler();
        return (request, response, e) -> {
            bearer.handle(request, response, e);
            write(request, response, ProblemType.INSUFFICIENT_SCOPE, scopeDetail(request));
        };
    }

    private static String detail(AuthenticationException e) {
        // The OAuth2 error's description says why (expired at..., bad signature); it never holds the token.
        if (e instanceof OAuth2AuthenticationException oauth && oauth.getError().getDescription() != null) {
            return "The bearer token was refused: " + oauth.getError().getDescription();
        }
        return "This call needs a bearer token: Authorization: Bearer <JWT>.";
    }

    private static String scopeDetail(HttpServletRequest request) {
        String scope = Scopes.requiredFor(request);
        return scope == null ? "No scope grants this call." : "This call needs a token with the scope " + scope + ".";
    }

    private static void write(HttpServletRequest request, HttpServletResponse response, ProblemType type, String detail)
            throws IOException {
        ProblemDetail problem = Problems.problem(type, detail);
        EdgeProblems.send(response, EdgeProblems.withInstance(problem, request.getRequestURI()));
    }
}
