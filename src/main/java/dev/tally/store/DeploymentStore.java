package dev.tally.store;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The {@code deployment} row (V8): this database's deployment identity, a UUID created once by the
 * migration. Everything Tally keeps outside its database on its behalf (the relay's positions and
 * transactional.ids on a Kafka cluster that may outlive the database or serve several) is named
 * with it, so that a new database never inherits another one's state.
 */
@Repository
public class DeploymentStore {

    private static final String READ = """
            SELECT deployment_id FROM deployment WHERE id = 1""";

    private final JdbcTemplate jdbc;

    public DeploymentStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Read each time (one primary-key row): a restored or replaced database brings its own. */
    public String deploymentId() {
        return jdbc.queryForObject(READ, String.class);
    }
}
