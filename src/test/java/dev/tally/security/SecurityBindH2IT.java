package dev.tally.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.support.Api;
import dev.tally.support.Instances;
import dev.tally.support.Tokens;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Where the service listens, by security mode: each test starts its own instance (H2 under
 * {@code target/}) with the command-line properties an operator would give, and reads the address
 * Tomcat's connector was bound to. Where the machine has a non-loopback IPv4 address, a connection
 * to it is tried as well.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecurityBindH2IT {

    private static final String WARNING = "Security is OFF";

    private static Map<String, Object> h2(String... keysAndValues) {
        Map<String, Object> p = new HashMap<>();
        p.put(
                "spring.datasource.url",
                "jdbc:h2:file:./target/h2-it-bind/tally;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                        + "DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000;DB_CLOSE_ON_EXIT=FALSE");
        p.put("server.port", "0");
        p.put("spring.main.banner-mode", "off");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            p.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return p;
    }

    private static InetAddress boundAddress(ConfigurableApplicationContext app) {
        TomcatWebServer server = (TomcatWebServer) ((WebServerApplicationContext) app).getWebServer();
        return (InetAddress) server.getTomcat().getConnector().getProperty("address");
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        for (NetworkInterface ni : NetworkInterface.networkInterfaces().toList()) {
            if (ni.isUp() && !ni.isLoopback()) {
                Optional<InetAddress> a = ni.inetAddresses()
                        .filter(Inet4Address.class::isInstance)
                        .findFirst();
                if (a.isPresent()) {
                    return a;
                }
            }
        }
        return Optional.empty();
    }

    private static boolean connects(InetAddress address, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int occurrences(String text, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void offByDefaultListensOnLoopbackOnlyWarnsOnceAndShowsNoHealthDetails(CapturedOutput output) throws Exception {
        try (ConfigurableApplicationContext app = Instances.start(h2())) {
            assertThat(boundAddress(app)).isEqualTo(InetAddress.getByName("127.0.0.1"));
            int port = Instances.port(app);
            Optional<InetAddress> outside = nonLoopbackAddress();
            if (outside.isPresent()) {
                assertThat(connects(outside.get(), port))
                        .as("reachable on %s", outside.get())
                        .isFalse();
            }
            assertThat(occurrences(output.getAll(), WARNING)).isEqualTo(1);
            assertThat(output.getAll()).containsPattern("WARN .*" + WARNING + ".*listening on 127\\.0\\.0\\.1 only");

            Api api = new Api(port);
            for (String probe :
                    new String[] {"/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness"}) {
                Api.Response r = api.get(probe);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.json().has("components")).as(r.body()).isFalse();
                assertThat(r.json().has("details")).as(r.body()).isFalse();
            }
        }
    }

    @Test
    void offWithANonLoopbackAddressDoesNotStart() {
        assertThatThrownBy(
                        () -> Instances.start(h2("server.address", "0.0.0.0")).close())
                .hasStackTraceContaining("server.address=0.0.0.0 is not a loopback address, but security is off")
                .hasStackTraceContaining("tally.security.insecure-bind=true");
    }

    @Test
    void offWithASeparateManagementPortNeedsItOnLoopbackToo() throws Exception {
        assertThatThrownBy(
                        () -> Instances.start(h2("management.server.port", "0")).close())
                .hasStackTraceContaining("management.server.address=null, but security is off");
        try (ConfigurableApplicationContext app =
                Instances.start(h2("management.server.port", "0", "management.server.address", "127.0.0.1"))) {
            int managementPort = Integer.parseInt(app.getEnvironment().getProperty("local.management.port"));
            assertThat(connects(InetAddress.getLoopbackAddress(), managementPort))
                    .isTrue();
            Optional<InetAddress> outside = nonLoopbackAddress();
            if (outside.isPresent()) {
                assertThat(connects(outside.get(), managementPort)).isFalse();
            }
        }
    }

    @Test
    void offWithAnExplicitLoopbackAddressStartsAndWarns(CapturedOutput output) {
        try (ConfigurableApplicationContext app = Instances.start(h2("server.address", "127.0.0.1"))) {
            assertThat(boundAddress(app)).isEqualTo(InetAddress.getLoopbackAddress());
            assertThat(occurrences(output.getAll(), WARNING)).isEqualTo(1);
        }
    }

    @Test
    void insecureBindListensOnEveryInterfaceAndWarns(CapturedOutput output) throws Exception {
        try (ConfigurableApplicationContext app = Instances.start(h2("tally.security.insecure-bind", "true"))) {
            assertThat(boundAddress(app)).isNull();
            Optional<InetAddress> outside = nonLoopbackAddress();
            if (outside.isPresent()) {
                assertThat(connects(outside.get(), Instances.port(app))).isTrue();
            }
            assertThat(occurrences(output.getAll(), WARNING)).isEqualTo(1);
            assertThat(output.getAll())
                    .containsPattern(
                            "WARN .*" + WARNING
                                    + ".*tally.security.insecure-bind=true: listening on every interface WITHOUT authentication");
        }
        try (ConfigurableApplicationContext app =
                Instances.start(h2("tally.security.insecure-bind", "true", "server.address", "0.0.0.0"))) {
            assertThat(boundAddress(app)).isEqualTo(InetAddress.getByName("0.0.0.0"));
        }
    }

    @Test
    void onAnyAddressIsAllowedWithoutTheWarning(CapturedOutput output) throws Exception {
        Map<String, Object> p = h2("server.address", "0.0.0.0");
        p.putAll(Tokens.securityOn());
        try (ConfigurableApplicationContext app = Instances.start(p)) {
            assertThat(boundAddress(app)).isEqualTo(InetAddress.getByName("0.0.0.0"));
            assertThat(output.getAll()).doesNotContain(WARNING);
            assertThat(new Api(Instances.port(app)).get("/v1/alerts").status()).isEqualTo(401);
        }
    }
}
