package dev.tally.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Api;
import dev.tally.support.UseH2;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code /actuator/info} names the build an operator is running: the version from Maven's
 * build-info goal and the commit from git-commit-id's {@code git.properties}. Both files are
 * written into target/classes by the build, so this needs the build's {@code generate-resources}
 * phase to have run (it has, under {@code ./mvnw verify}) and a .git directory.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@UseH2
class ActuatorInfoH2IT {

    @LocalServerPort
    int port;

    @Test
    void infoShowsTheBuildVersionAndTheGitCommit() {
        Api.Response info = new Api(port).get("/actuator/info");

        assertThat(info.status()).isEqualTo(200);
        assertThat(info.json().path("build").path("version").asString()).isEqualTo("0.1.0-SNAPSHOT");
        assertThat(info.json().path("build").path("artifact").asString()).isEqualTo("tally");
        // "simple" mode: the abbreviated id, branch and time; not the committer's e-mail or the host.
        assertThat(info.json().path("git").path("commit").path("id").asString()).matches("[0-9a-f]{7,40}");
        assertThat(info.json().path("git").has("branch")).isTrue();
        assertThat(info.json().path("git").path("build").isMissingNode()).isTrue();
    }
}
