package dev.tally.config;

import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Web server wiring. */
@Configuration(proxyBeanMethods = false)
class WebServerConfig {

    /**
     * A recordId may hold {@code /} and {@code \} (SPEC §2 forbids only control characters), so
     * {@code GET /v1/records/{recordId}} receives them percent-encoded ({@code %2F}, {@code %5C}).
     * Tomcat rejects those with a bare 400 by default; passed through, they stay inside the one path
     * segment and Spring MVC decodes them into the path variable.
     */
    @Bean
    TomcatConnectorCustomizer encodedSlashesStayInThePathSegment() {
        return connector -> {
            connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue());
            connector.setEncodedReverseSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue());
        };
    }
}
