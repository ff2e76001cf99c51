package dev.tally.security;

import java.util.function.Supplier;
import org.springframework.core.MethodParameter;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Gives a controller method's {@link SourceGrant} parameter the grant of the request's caller. */
final class SourceGrantResolver implements HandlerMethodArgumentResolver {

    private final Supplier<SourceGrant> grant;

    private SourceGrantResolver(Supplier<SourceGrant> grant) {
        this.grant = grant;
    }

    /** Security on: the {@code tally_sources} claim of the request's token; no token, no source. */
    static SourceGrantResolver fromToken() {
        return new SourceGrantResolver(() -> {
            Authentication a = SecurityContextHolder.getContext().getAuthentication();
            return a instanceof JwtAuthenticationToken jwt
                    ? SourceGrant.fromClaim(jwt.getToken().getClaims().get(SourceGrant.CLAIM))
                    : SourceGrant.NONE;
        });
    }

    /** Security off: every source. */
    static SourceGrantResolver everySource() {
        return new SourceGrantResolver(() -> SourceGrant.ALL);
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == SourceGrant.class;
    }

    @Override
    public SourceGrant resolveArgument(
            MethodParameter parameter,
            ModelAndViewContainer mavContainer,
            NativeWebRequest webRequest,
            WebDataBinderFactory binderFactory) {
        return grant.get();
    }
}
