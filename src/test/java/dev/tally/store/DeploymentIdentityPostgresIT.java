package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.PostgresTestDatabase;
import dev.tally.support.UsePostgres;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

@UsePostgres
class DeploymentIdentityPostgresIT extends AbstractDeploymentIdentityIT {

    /** Several instances starting at once on a new database: Flyway's lock lets one create the identity. */
    @Test
    void instancesMigratingANewDatabaseAtOnceCreateOneIdentity() throws Exception {
        String url = PostgresTestDatabase.recreate("race");
        int instances = 4;
        CyclicBarrier together = new CyclicBarrier(instances);
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            starts.add(CompletableFuture.runAsync(() -> {
                // The application's Flyway settings (locations, the dialect's placeholders) on the new database.
                Flyway flyway = Flyway.configure()
                        .configuration(this.flyway.getConfiguration())
                        .dataSource(url, PostgresTestDatabase.USER, PostgresTestDatabase.PASSWORD)
                        .load();
                try {
                    together.await(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                flyway.migrate();
            }));
        }
        for (CompletableFuture<Void> s : starts) {
            s.get(120, TimeUnit.SECONDS);
        }
        JdbcTemplate db = new JdbcTemplate(
                new DriverManagerDataSource(url, PostgresTestDatabase.USER, PostgresTestDatabase.PASSWORD));
        assertThat(db.queryForList("SELECT deployment_id FROM deployment", String.class))
                .hasSize(1);
    }
}
