package dev.tally.config;

import org.apache.catalina.core.StandardHost;
import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
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

    /**
     * Tomcat's own refusals (malformed URIs, over-long request lines and headers) answered as
     * problem JSON like every other error ({@link ProblemErrorReportValve}). The host adds the
     * valve named here when it starts, unless one of that class is already in its pipeline.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
        return factory -> factory.addContextCustomizers(context -> {
            if (!(context.getParent() instanceof StandardHost host)) {
                throw new IllegalStateException("The Tomcat context has no StandardHost parent (" + context.getParent()
                        + "): the problem error report valve cannot be installed");
            }
            host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            host.getPipeline().addValve(new ProblemErrorReportValve());
        });
    }
}
