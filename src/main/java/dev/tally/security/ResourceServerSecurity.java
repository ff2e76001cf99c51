package dev.tally.security;

import jakarta.servlet.DispatcherType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Security on: an OAuth2 resource server. Every call but the health probes and the API's
 * documentation ({@link Scopes#DOCS}, GET only) needs a JWT bearer
 * token, validated by the {@code JwtDecoder} Spring Boot builds from
 * {@code spring.security.oauth2.resourceserver.jwt.*} (signature, {@code exp}/{@code nbf}, and the
 * issuer when {@code issuer-uri} is set), carrying the call's scope ({@link Scopes}). Stateless:
 * no session, no cookie, hence no CSRF token.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(SecurityEnabled.class)
class ResourceServerSecurity {

    private static final Logger log = LoggerFactory.getLogger(ResourceServerSecurity.class);

    ResourceServerSecurity(TallySecurityProperties properties) {
        if (properties.insecureBind()) {
            log.warn("tally.security.insecure-bind=true has no effect: security is on");
        }
    }

    @Bean
    SecurityFilterChain resourceServerFilterChain(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(a -> {
            // An error page or an async dispatch follows a request that was already authorized.
            a.dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC).permitAll();
            a.requestMatchers(Scopes.PROBES.toArray(String[]::new)).permitAll();
            a.requestMatchers(HttpMethod.GET, Scopes.DOCS.toArray(String[]::new))
                    .permitAll();
            for (Scopes.Rule rule : Scopes.RULES) {
                a.requestMatchers(rule.matcher()).hasAuthority(rule.authority());
            }
            // A call without a rule (a new endpoint, another method) is refused until it gets one.
            a.anyRequest().denyAll();
        });
        http.oauth2ResourceServer(o -> o.jwt(Customizer.withDefaults())
                .authenticationEntryPoint(ProblemResponses.unauthorized())
                .accessDeniedHandler(ProblemResponses.forbidden()));
        http.exceptionHandling(e -> e.authenticationEntryPoint(ProblemResponses.unauthorized())
                .accessDeniedHandler(ProblemResponses.forbidden()));
        return StatelessApi.configure(http).build();
    }

    /** The document states each call's scope and the 401/403 problems (docs/security.md). */
    @Bean
    BearerTokenDocs bearerTokenDocs() {
        return new BearerTokenDocs();
    }

    @Bean
    WebMvcConfigurer sourceGrantFromToken() {
        return StatelessApi.grants(SourceGrantResolver.fromToken());
    }
}
