package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.support.IntegrationTestSupport;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Migration V10 on a database that V9 filled: every notification still in the outbox moves onto
 * its record's row, the outbox keeps only the alerts, and a notification stored whole before V4
 * stops the migration instead of vanishing from the feed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class AbstractNotificationsMigrationIT extends IntegrationTestSupport {

    private static final String TRACE = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    @Autowired
    Flyway flyway;

    /** A new, empty database of this test's kind, named after {@code name}. */
    abstract String freshUrl(String name);

    abstract String user();

    abstract String password();

    @Test
    final void notificationsInTheOutboxMoveOntoTheirRecords() {
        String url = freshUrl("v10move");
        JdbcTemplate db = migrateTo(url, "9");
        record(db, "m-1", 1);
        record(db, "m-2", 2);
        record(db, "m-3", 3); // its notification was pruned before the upgrade
        db.update(
                "INSERT INTO outbox (feed, seq, message_id, destination_id, summary_previous, created_at, traceparent)"
                        + " VALUES ('notifications', 1, 'm-1', 'acct-1', '{\"recordCount\":0}', CURRENT_TIMESTAMP, ?)",
                TRACE);
        db.update("INSERT INTO outbox (feed, seq, message_id, destination_id, summary_previous, created_at)"
                + " VALUES ('notifications', 2, 'm-2', 'acct-1', '{\"recordCount\":1}', CURRENT_TIMESTAMP)");
        db.update("INSERT INTO outbox (feed, seq, message_id, destination_id, payload, created_at)"
                + " VALUES ('alerts', 1, 'm-2', 'acct-1', '{\"alert\":1}', CURRENT_TIMESTAMP)");

        migrate(url, null);

        assertThat(db.queryForList("SELECT record_id, summary_previous, traceparent FROM records ORDER BY seq"))
                .extracting(r -> r.get("record_id"), r -> r.get("summary_previous"), r -> r.get("traceparent"))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("m-1", "{\"recordCount\":0}", TRACE),
                        org.assertj.core.groups.Tuple.tuple("m-2", "{\"recordCount\":1}", null),
                        org.assertj.core.groups.Tuple.tuple("m-3", null, null));
        assertThat(db.queryForList("SELECT feed, message_id FROM outbox"))
                .extracting(r -> r.get("feed") + "/" + r.get("message_id"))
                .containsExactly("alerts/m-2");
        assertThatThrownBy(() -> db.update("INSERT INTO outbox (feed, seq, message_id, destination_id, payload,"
                        + " created_at) VALUES ('notifications', 3, 'm-3', 'acct-1', '{}', CURRENT_TIMESTAMP)"))
                .as("the outbox holds alerts only")
                .hasMessageContaining("outbox_alerts_only_ck");
    }

    @Test
    final void aNotificationStoredWholeBeforeV4StopsTheMigration() {
        String url = freshUrl("v10legacy");
        JdbcTemplate db = migrateTo(url, "9");
        record(db, "old-1", 1);
        db.update("INSERT INTO outbox (feed, seq, message_id, destination_id, payload, created_at)"
                + " VALUES ('notifications', 1, 'old-1', 'acct-1', '{\"whole\":true}', CURRENT_TIMESTAMP)");

        assertThatThrownBy(() -> migrate(url, null)).hasStackTraceContaining("outbox_v10_no_payload_notifications_ck");
        assertThat(db.queryForObject("SELECT payload FROM outbox WHERE message_id = 'old-1'", String.class))
                .as("nothing was changed")
                .isEqualTo("{\"whole\":true}");
    }

    private JdbcTemplate migrateTo(String url, String version) {
        migrate(url, version);
        return new JdbcTemplate(new DriverManagerDataSource(url, user(), password()));
    }

    /** The application's Flyway settings (locations, the dialect's placeholders) on {@code url}. */
    private void migrate(String url, String target) {
        var config = Flyway.configure().configuration(flyway.getConfiguration()).dataSource(url, user(), password());
        config.target(target == null ? MigrationVersion.LATEST : MigrationVersion.fromVersion(target));
        config.load().migrate();
    }

    private static void record(JdbcTemplate db, String id, long seq) {
        db.update(
                "INSERT INTO records (record_id, seq, record_time, source_id, destination_id, record_type, amount,"
                        + " amount_scale, unit, reference, processed_at) VALUES (?, ?, CURRENT_TIMESTAMP, 'billing',"
                        + " 'acct-1', 'positive', 1, 0, 'EUR', 'inv-1', CURRENT_TIMESTAMP)",
                id,
                seq);
    }
}
