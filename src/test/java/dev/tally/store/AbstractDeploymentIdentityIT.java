package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.support.IntegrationTestSupport;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DataAccessException;

/**
 * The deployment identity (V8): one UUID per database, created by the migration, never changed by
 * a later start, and no second row possible.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class AbstractDeploymentIdentityIT extends IntegrationTestSupport {

    @Autowired
    DeploymentStore deployment;

    @Autowired
    Flyway flyway;

    @Test
    final void oneIdentityPerDatabaseCreatedByTheMigrationAndKeptByLaterStarts() {
        String id = deployment.deploymentId();
        assertThat(UUID.fromString(id).toString()).isEqualTo(id);
        assertThat(count("deployment")).isEqualTo(1);

        flyway.migrate(); // what every later start does
        assertThat(deployment.deploymentId()).isEqualTo(id);
        assertThatThrownBy(
                        () -> jdbc.update(
                                "INSERT INTO deployment (id, deployment_id, created_at) VALUES (2, 'other', CURRENT_TIMESTAMP)"))
                .isInstanceOf(DataAccessException.class);
        assertThat(deployment.deploymentId()).isEqualTo(id);
    }
}
