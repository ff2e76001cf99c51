package dev.tally.support;

import dev.tally.config.IngestProperties;
import dev.tally.config.ProcessingProperties;
import dev.tally.security.SecurityOffSlice;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

/**
 * What every {@code @WebMvcTest} slice adds to the controllers and advice it scans: the real
 * security of the embedded default ({@link SecurityOffSlice}) and the limits the edge reads,
 * bound from their defaults (a slice does not scan {@code @ConfigurationProperties}).
 */
@TestConfiguration(proxyBeanMethods = false)
@Import(SecurityOffSlice.class)
@EnableConfigurationProperties({ProcessingProperties.class, IngestProperties.class})
public class WebSlice {}
