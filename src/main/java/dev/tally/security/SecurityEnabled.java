package dev.tally.security;

import java.util.List;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Security is on exactly when one of Spring Boot's JWT resource-server properties is set: the
 * same properties from which Boot builds the {@code JwtDecoder}, so "on" and "tokens can be
 * validated" cannot disagree.
 */
public class SecurityEnabled implements Condition {

    static final String PREFIX = "spring.security.oauth2.resourceserver.jwt.";
    static final List<String> PROPERTIES =
            List.of(PREFIX + "issuer-uri", PREFIX + "jwk-set-uri", PREFIX + "public-key-location");

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return isOn(context.getEnvironment());
    }

    static boolean isOn(Environment environment) {
        return PROPERTIES.stream().anyMatch(p -> StringUtils.hasText(environment.getProperty(p)));
    }

    /** The negation, for the beans of the security-off mode. */
    static class Off implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !isOn(context.getEnvironment());
        }
    }
}
