package dev.tally.processing;

import dev.tally.support.PostgresTestDatabase;
import java.util.List;

/**
 * The crash loop on PostgreSQL, on a database of its own ({@code <test database>_crashloop},
 * created empty for each run) so that the loop's records meet no other test's.
 */
class CrashLoopPostgresIT extends AbstractCrashLoopIT {

    private static final String SUFFIX = "crashloop";

    @Override
    List<String> databaseArgs() {
        return List.of(
                "--spring.datasource.url=" + PostgresTestDatabase.url(PostgresTestDatabase.DATABASE + "_" + SUFFIX),
                "--spring.datasource.username=" + PostgresTestDatabase.USER,
                "--spring.datasource.password=" + PostgresTestDatabase.PASSWORD);
    }

    @Override
    void freshDatabase() {
        PostgresTestDatabase.recreate(SUFFIX);
    }

    @Override
    String name() {
        return "postgres";
    }
}
