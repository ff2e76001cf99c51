package dev.tally.security;

import java.net.InetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Security off (no resource-server property: the embedded default). Every call is allowed, so the
 * service listens on {@code 127.0.0.1} only: reachable from this machine, not from the network.
 * A non-loopback {@code server.address} stops the start-up unless
 * {@code tally.security.insecure-bind=true}. Either way one WARN line says so at start. A separate
 * management port ({@code management.server.port}) is held to the same rule through
 * {@code management.server.address}, which Boot does not default to {@code server.address}.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(SecurityEnabled.Off.class)
class LocalOnlySecurity {

    private static final Logger log = LoggerFactory.getLogger(LocalOnlySecurity.class);

    LocalOnlySecurity(Environment environment, TallySecurityProperties security) {
        if (security.insecureBind() || ManagementPortType.get(environment) != ManagementPortType.DIFFERENT) {
            return;
        }
        String managementPort = environment.getProperty("management.server.port");
        String address = environment.getProperty("management.server.address");
        if (address == null || !isLoopback(address)) {
            throw new IllegalStateException("management.server.port=" + managementPort
                    + " with management.server.address="
                    + address + ", but security is off: set management.server.address=127.0.0.1, configure a token "
                    + "issuer or key (docs/security.md), or set tally.security.insecure-bind=true");
        }
    }

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    @Bean
    SecurityFilterChain openFilterChain(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(a -> a.anyRequest().permitAll());
        return StatelessApi.configure(http).build();
    }

    @Bean
    WebMvcConfigurer sourceGrantOfEverySource() {
        return StatelessApi.grants(SourceGrantResolver.everySource());
    }

    @Bean
    WebServerFactoryCustomizer<ConfigurableWebServerFactory> loopbackUnlessInsecureBind(
            ServerProperties server, TallySecurityProperties security) {
        return new LoopbackBind(server.getAddress(), security.insecureBind());
    }

    /** Runs after Boot's own customizer, which applies {@code server.address}. */
    static final class LoopbackBind implements WebServerFactoryCustomizer<ConfigurableWebServerFactory>, Ordered {

        private final InetAddress configured;
        private final boolean insecureBind;

        LoopbackBind(InetAddress configured, boolean insecureBind) {
            this.configured = configured;
            this.insecureBind = insecureBind;
        }

        @Override
        public void customize(ConfigurableWebServerFactory factory) {
            String off = "Security is OFF (no spring.security.oauth2.resourceserver.jwt.issuer-uri, jwk-set-uri or "
                    + "public-key-location): every caller may write and read every record";
            if (configured != null && configured.isLoopbackAddress()) {
                log.warn("{}; listening on {} only", off, configured.getHostAddress());
            } else if (insecureBind) {
                log.warn(
                        "{}, and tally.security.insecure-bind=true: listening on {} WITHOUT authentication",
                        off,
                        configured == null ? "every interface" : configured.getHostAddress());
            } else if (configured != null) {
                throw new IllegalStateException("server.address=" + configured.getHostAddress()
                        + " is not a loopback address, but security is off: configure a token issuer or key "
                        + "(spring.security.oauth2.resourceserver.jwt.*, see docs/security.md), or set "
                        + "tally.security.insecure-bind=true to serve the network without authentication");
            } else {
                factory.setAddress(InetAddress.getLoopbackAddress());
                log.warn(
                        "{}; listening on {} only (set a resource-server property, see docs/security.md)",
                        off,
                        InetAddress.getLoopbackAddress().getHostAddress());
            }
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
