package dev.tally.store;

import dev.tally.support.UseH2;
import java.util.UUID;

@UseH2
class NotificationsMigrationH2IT extends AbstractNotificationsMigrationIT {

    /** A new file under target/, in the service's H2 modes. */
    @Override
    String freshUrl(String name) {
        return "jdbc:h2:file:./target/h2-migration/" + name + "-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE";
    }

    @Override
    String user() {
        return "sa";
    }

    @Override
    String password() {
        return "";
    }
}
