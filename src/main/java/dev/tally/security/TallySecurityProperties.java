package dev.tally.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Tally's own security settings (prefix {@code tally.security}); tokens are configured with Spring
 * Boot's {@code spring.security.oauth2.resourceserver.jwt.*}.
 *
 * @param insecureBind with security off, listen on a non-loopback address anyway (all interfaces
 *                     when {@code server.address} is unset). Without it, security off means
 *                     {@code 127.0.0.1} only, and a non-loopback {@code server.address} stops the
 *                     start-up. Ignored (with a warning) when security is on
 */
@ConfigurationProperties("tally.security")
public record TallySecurityProperties(@DefaultValue("false") boolean insecureBind) {}
