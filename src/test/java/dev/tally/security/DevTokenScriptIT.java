package dev.tally.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tally.support.Api;
import dev.tally.support.Instances;
import dev.tally.support.Rec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code scripts/dev-token.sh} end to end: the script makes a key pair and tokens with openssl, an
 * instance started with the script's public key as {@code public-key-location} accepts them, with
 * their scopes and sources. Skipped where bash or openssl is missing.
 */
class DevTokenScriptIT {

    private static String run(Path keyDir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", "scripts/dev-token.sh"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("TALLY_DEV_KEY_DIR", keyDir.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("dev-token.sh %s", String.join(" ", args)).isZero();
        return out;
    }

    private static boolean openssl() {
        try {
            return new ProcessBuilder("openssl", "version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void theScriptsTokensAreAcceptedWithTheirScopesAndSources() throws Exception {
        assumeTrue(openssl(), "openssl is not installed");
        Path keyDir = Files.createDirectories(Path.of("target", "dev-token-it", Long.toString(System.nanoTime())))
                .toAbsolutePath();
        run(keyDir, "keygen");
        String publicKey = run(keyDir, "public-key");
        String writer = run(keyDir, "token", "--scopes", "records:write records:read", "--sources", "billing,refunds");
        String reader = run(keyDir, "token", "--scopes", "records:read", "--ttl", "600");

        Map<String, Object> p = new HashMap<>();
        p.put(
                "spring.datasource.url",
                "jdbc:h2:file:./target/h2-it-dev-token/tally;MODE=PostgreSQL;"
                        + "DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000;DB_CLOSE_ON_EXIT=FALSE");
        p.put("server.port", "0");
        p.put("spring.main.banner-mode", "off");
        p.put("spring.security.oauth2.resourceserver.jwt.public-key-location", "file:" + publicKey);
        try (ConfigurableApplicationContext app = Instances.start(p)) {
            Api api = new Api(Instances.port(app));
            String id = "dev-" + System.nanoTime();
            assertThat(api.withBearer(writer)
                            .postJson("/v1/records", Rec.rec(id).json())
                            .status())
                    .isEqualTo(201);
            assertThat(api.withBearer(writer)
                            .postJson(
                                    "/v1/records",
                                    Rec.rec(id + "-p").source("payments").json())
                            .status())
                    .isEqualTo(403);
            assertThat(api.withBearer(reader)
                            .postJson("/v1/records", Rec.rec(id + "-r").json())
                            .status())
                    .isEqualTo(403);
            assertThat(api.withBearer(reader).get("/v1/records/" + id).status()).isEqualTo(200);
            assertThat(api.get("/v1/records/" + id).status()).isEqualTo(401);
        }
    }
}
