package dev.tally.security;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.context.annotation.Import;

/**
 * For the {@code @WebMvcTest} slices: the real security of the embedded default (security off),
 * which a slice does not scan. Its filter chain permits every request and keeps the API stateless,
 * its argument resolver hands the controllers the {@link SourceGrant} of every source, and the
 * relaxed firewall lets every recordId through, exactly as in the running service (its
 * loopback-bind customizer, which reads ServerProperties, has no server to customize here). Here, in
 * {@code security}, because those configurations are package-private.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import({LocalOnlySecurity.class, RecordIdFirewall.class})
@EnableConfigurationProperties({TallySecurityProperties.class, ServerProperties.class})
public class SecurityOffSlice {}
