package dev.tally.store;

import dev.tally.support.PostgresTestDatabase;
import dev.tally.support.UsePostgres;

@UsePostgres
class NotificationsMigrationPostgresIT extends AbstractNotificationsMigrationIT {

    @Override
    String freshUrl(String name) {
        return PostgresTestDatabase.recreate(name);
    }

    @Override
    String user() {
        return PostgresTestDatabase.USER;
    }

    @Override
    String password() {
        return PostgresTestDatabase.PASSWORD;
    }
}
