package dev.tally.outbox;

import static dev.tally.support.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tally.support.Api;
import dev.tally.support.Instances;
import dev.tally.support.KafkaCluster;
import dev.tally.support.Model;
import dev.tally.support.PostgresTestDatabase;
import dev.tally.support.Rec;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tools.jackson.databind.JsonNode;

/**
 * One Kafka cluster outliving, or shared by, several databases (issue 9, part 2). Each database is
 * a deployment with its own identity (V8); the relay's position key and transactional.id carry it
 * and the target topic, so:
 * <ul>
 *   <li>a new, empty database on a cluster that already holds positions publishes its messages
 *       from its first one (the relay used to continue "after seq 3000" of the old database);
 *   <li>two deployments publishing at once on one cluster neither fence each other nor read each
 *       other's positions;
 *   <li>a database restored behind what its relay already published does not skip the seqs it
 *       hands out again: the relay stops that feed and says why (health, metric, ERROR log) until an
 *       operator resumes it, and then publishes from the database's own copy of the position
 *       (repeats, which consumers drop by messageId, instead of gaps).
 * </ul>
 * One broker for all tests, as in production; the positions topic is the default one and shared.
 */
class RelayIdentityIT {

    private static KafkaCluster kafka;
    private final List<ConfigurableApplicationContext> started = new ArrayList<>();
    private ListAppender<ILoggingEvent> relayLog;

    @BeforeAll
    static void startBroker() {
        kafka = KafkaCluster.start("identity");
    }

    @AfterAll
    static void stopBroker() throws Exception {
        Instances.closeAll(kafka);
    }

    @AfterEach
    void closeInstances() {
        for (ConfigurableApplicationContext c : started) {
            c.close();
        }
        started.clear();
        if (relayLog != null) {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(OutboxRelay.class)).detachAppender(relayLog);
        }
    }

    /**
     * Deployment 1 publishes 3,000 records; it goes, and the same configuration is started on a new,
     * empty database (a recreated database); then a third database publishes to other topic names
     * (a staging copy, or a second deployment). Each publishes all of its own messages exactly once.
     */
    @Test
    void aNewDatabaseOnTheSameClusterPublishesFromItsFirstMessage() throws Exception {
        kafka.createTopics(3, "n-same", "a-same", "n-other", "a-other");
        List<Rec> first = Model.generate(3_000, "first-", 21);
        List<Rec> second = Model.generate(3_000, "second-", 22);
        List<Rec> third = Model.generate(3_000, "third-", 23);

        ConfigurableApplicationContext one = start(PostgresTestDatabase.recreate("first"), "n-same", "a-same");
        Instances.postAccepted(new Api(Instances.port(one)), first);
        Model.checkExactlyOnce(
                kafka.readCommitted("n-same", first.size(), Duration.ofSeconds(60), Duration.ofSeconds(1)),
                Model.byId(first),
                "record.processed");
        close(one);

        ConfigurableApplicationContext two = start(PostgresTestDatabase.recreate("second"), "n-same", "a-same");
        Instances.postAccepted(new Api(Instances.port(two)), second);
        // The topic now holds both deployments' messages; each has its own seqs 1..3000.
        List<ConsumerRecord<String, String>> same = kafka.readCommitted(
                "n-same", first.size() + second.size(), Duration.ofSeconds(60), Duration.ofSeconds(1));
        Model.checkExactlyOnce(only(same, "second-"), Model.byId(second), "record.processed");
        Model.checkExactlyOnce(only(same, "first-"), Model.byId(first), "record.processed");
        List<ConsumerRecord<String, String>> sameAlerts = kafka.readCommitted(
                "a-same",
                Model.alerting(first).size() + Model.alerting(second).size(),
                Duration.ofSeconds(60),
                Duration.ofSeconds(1));
        Model.checkExactlyOnce(only(sameAlerts, "second-"), Model.alerting(second), "record.threshold_exceeded");
        close(two);

        ConfigurableApplicationContext three = start(PostgresTestDatabase.recreate("third"), "n-other", "a-other");
        Instances.postAccepted(new Api(Instances.port(three)), third);
        Model.checkExactlyOnce(
                kafka.readCommitted("n-other", third.size(), Duration.ofSeconds(60), Duration.ofSeconds(1)),
                Model.byId(third),
                "record.processed");
        Model.checkExactlyOnce(
                kafka.readCommitted(
                        "a-other", Model.alerting(third).size(), Duration.ofSeconds(60), Duration.ofSeconds(1)),
                Model.alerting(third),
                "record.threshold_exceeded");
        log(
                "new databases: {} + {} + {} notifications, {} + {} + {} alerts, all published",
                first.size(),
                second.size(),
                third.size(),
                Model.alerting(first).size(),
                Model.alerting(second).size(),
                Model.alerting(third).size());
    }

    /**
     * Two deployments (two databases) on one cluster, publishing at the same time to their own
     * topics: every message of each exactly once on its topic, and no relay session of either ended
     * by a failure (before the fix they shared transactional.ids and fenced each other).
     */
    @Test
    void twoDeploymentsPublishAtOnceOnOneCluster() throws Exception {
        kafka.createTopics(3, "n-east", "a-east", "n-west", "a-west");
        List<Rec> east = Model.generate(4_000, "east-", 31);
        List<Rec> west = Model.generate(4_000, "west-", 32);
        ConfigurableApplicationContext a = start(PostgresTestDatabase.recreate("east"), "n-east", "a-east");
        ConfigurableApplicationContext b = start(PostgresTestDatabase.recreate("west"), "n-west", "a-west");

        CompletableFuture<Void> postingEast =
                CompletableFuture.runAsync(() -> Instances.postAccepted(new Api(Instances.port(a)), east));
        Instances.postAccepted(new Api(Instances.port(b)), west);
        postingEast.get(120, TimeUnit.SECONDS);

        Model.checkExactlyOnce(
                kafka.readCommitted("n-east", east.size(), Duration.ofSeconds(90), Duration.ofSeconds(1)),
                Model.byId(east),
                "record.processed");
        Model.checkExactlyOnce(
                kafka.readCommitted("n-west", west.size(), Duration.ofSeconds(90), Duration.ofSeconds(1)),
                Model.byId(west),
                "record.processed");
        Model.checkExactlyOnce(
                kafka.readCommitted(
                        "a-east", Model.alerting(east).size(), Duration.ofSeconds(60), Duration.ofSeconds(1)),
                Model.alerting(east),
                "record.threshold_exceeded");
        Model.checkExactlyOnce(
                kafka.readCommitted(
                        "a-west", Model.alerting(west).size(), Duration.ofSeconds(60), Duration.ofSeconds(1)),
                Model.alerting(west),
                "record.threshold_exceeded");
        for (ConfigurableApplicationContext c : List.of(a, b)) {
            MeterRegistry meters = c.getBean(MeterRegistry.class);
            for (String feed : List.of("notifications", "alerts")) {
                assertThat(meters.get("tally.kafka.relay.failures")
                                .tag("feed", feed)
                                .counter()
                                .count())
                        .as("relay sessions of %s ended by a failure (fencing)", feed)
                        .isZero();
            }
        }
        log(
                "two deployments at once: {} + {} notifications, {} + {} alerts, each exactly once",
                east.size(),
                west.size(),
                Model.alerting(east).size(),
                Model.alerting(west).size());
    }

    /**
     * A database restored from a backup taken at 3,000 records, after its relay had published 5,000:
     * the positions topic is 2,000 seqs ahead of the restored outbox, whose next records get those
     * seqs again. The relay must not publish after 5,000 (that skips the new 3,001..5,000); it stops
     * both feeds, reports it (health OUT_OF_SERVICE outside readiness, gauge, ERROR log with both
     * numbers) also after a restart, and after {@code POST /actuator/relay/{feed}/resume} publishes
     * everything after the restored database's copy of the position.
     */
    @Test
    void aDatabaseRestoredBehindItsPublishedPositionStopsTheRelayUntilResumed() throws Exception {
        kafka.createTopics(3, "n-restore", "a-restore");
        List<Rec> beforeBackup = Model.generate(3_000, "kept-", 41);
        List<Rec> lost = Model.generate(2_000, "lost-", 42);
        List<Rec> afterRestore = Model.generate(2_500, "new-", 43);
        int alertsBeforeBackup = Model.alerting(beforeBackup).size();
        int alertsLost = Model.alerting(lost).size();

        String live = PostgresTestDatabase.recreate("live");
        ConfigurableApplicationContext app = start(live, "n-restore", "a-restore");
        Instances.postAccepted(new Api(Instances.port(app)), beforeBackup);
        awaitPublished(live, 3_000, alertsBeforeBackup);
        close(app); // a copy needs the original without sessions; the backup is of a consistent state
        String backup = PostgresTestDatabase.copy("live", "backup");
        // A backup taken while the relay was 500 notifications behind its commits (its database copy
        // of the position is written after each Kafka commit): the restore must republish them.
        jdbc(backup).update("UPDATE relay_position SET published_seq = 2500 WHERE feed = 'notifications'");

        app = start(live, "n-restore", "a-restore");
        Instances.postAccepted(new Api(Instances.port(app)), lost);
        awaitPublished(live, 5_000, alertsBeforeBackup + alertsLost);
        close(app);

        app = start(backup, "n-restore", "a-restore"); // the restored database: same deployment, same topics
        // After the start: each context start re-initialises logging, which drops added appenders.
        ListAppender<ILoggingEvent> logs = captureRelayLog();
        relayLog = logs;
        MeterRegistry meters = app.getBean(MeterRegistry.class);
        JdbcTemplate restored = jdbc(backup);
        // Wait for the relay's decision: stopped (the fix), or moved its position past the database (the bug).
        await().atMost(Duration.ofSeconds(30))
                .until(() -> stalled(meters, "notifications") == 1 || published(restored, "notifications") > 3_000);
        Instances.postAccepted(
                new Api(Instances.port(app)), afterRestore); // seqs 3,001..5,500: 3,001..5,000 were used by "lost-"
        Thread.sleep(1_000); // the relay looks every 50 ms: a wrong publish would be out by now
        List<ConsumerRecord<String, String>> notifications =
                kafka.readCommitted("n-restore", 5_000, Duration.ofSeconds(30), Duration.ofSeconds(1));
        assertThat(notifications)
                .as("nothing published after the restore: 5,000 before it, none skipped")
                .hasSize(5_000);

        assertThat(stalled(meters, "notifications")).isEqualTo(1);
        assertThat(stalled(meters, "alerts")).isEqualTo(1);
        Api api = new Api(Instances.port(app));
        Api.Response health = api.get("/actuator/health");
        assertThat(health.status()).isEqualTo(503);
        // security off: the status only, no components (docs/security.md); the relay's own endpoint tells the rest
        assertThat(health.json().get("status").asString()).isEqualTo("OUT_OF_SERVICE");
        assertThat(health.json().has("components")).isFalse();
        JsonNode feed = api.get("/actuator/relay").json().get("notifications");
        assertThat(feed.get("stalled").asBoolean()).isTrue();
        assertThat(feed.get("stalledPosition").asLong()).isEqualTo(5_000);
        assertThat(api.get("/actuator/health/readiness").status())
                .as("readiness is not the relay's")
                .isEqualTo(200);
        // The first ERROR said 5000 and 3000 (it may come before the appender is added); the
        // reminder, every second here, says 5000 and the last seq now.
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            synchronized (logs) { // the appender appends under its own lock
                return logs.list.stream()
                        .anyMatch(e -> e.getLevel() == Level.ERROR
                                && e.getFormattedMessage().contains("NOT publishing to n-restore")
                                && e.getFormattedMessage().contains("5000")
                                && e.getFormattedMessage().contains("5500"));
            }
        });

        // A restart does not forget it, although the database's last seq (5,500) is now past 5,000.
        close(app);
        app = start(backup, "n-restore", "a-restore");
        MeterRegistry again = app.getBean(MeterRegistry.class);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> stalled(again, "notifications") == 1 && stalled(again, "alerts") == 1);
        Thread.sleep(1_000);
        assertThat(kafka.readCommitted("n-restore", 5_000, Duration.ofSeconds(30), Duration.ofSeconds(1)))
                .hasSize(5_000);

        api = new Api(Instances.port(app));
        assertThat(api.post("/actuator/relay/nonsense/resume", "application/json", "")
                        .status())
                .isEqualTo(400);
        Api.Response resumed = api.post("/actuator/relay/notifications/resume", "application/json", "");
        assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
        assertThat(resumed.json().get("resumedAfter").asLong()).isEqualTo(2_500);
        assertThat(api.post("/actuator/relay/alerts/resume", "application/json", "")
                        .status())
                .isEqualTo(200);
        assertThat(api.post("/actuator/relay/alerts/resume", "application/json", "")
                        .status())
                .as("not stalled any more")
                .isEqualTo(409);

        // 5,000 from before + 2,501..3,000 again (the backup's lag) + the 2,500 new ones.
        notifications = kafka.readCommitted("n-restore", 8_000, Duration.ofSeconds(60), Duration.ofSeconds(1));
        assertThat(notifications).hasSize(8_000);
        Map<String, Integer> copies = new HashMap<>();
        for (ConsumerRecord<String, String> r : notifications) {
            copies.merge(Model.header(r, "messageId"), 1, Integer::sum);
        }
        Set<String> repeated = new HashSet<>();
        copies.forEach((id, n) -> {
            if (n > 1) {
                repeated.add(id);
            }
        });
        Set<String> expectedRepeats = new HashSet<>();
        for (Rec r : beforeBackup.subList(2_500, 3_000)) {
            expectedRepeats.add(r.recordId());
        }
        assertThat(repeated)
                .as("exactly the messages after the backup's position, twice")
                .isEqualTo(expectedRepeats);
        assertThat(copies.values()).allMatch(n -> n <= 2);
        assertOnceEach(only(notifications, "new-"), Model.byId(afterRestore).keySet());
        assertThat(only(notifications, "new-"))
                .extracting(r -> Model.header(r, "seq"))
                .as("the new records' seqs, none skipped")
                .hasSize(2_500)
                .allMatch(s -> Long.parseLong(s) > 3_000 && Long.parseLong(s) <= 5_500);

        int alertsNew = Model.alerting(afterRestore).size();
        List<ConsumerRecord<String, String>> alerts = kafka.readCommitted(
                "a-restore",
                alertsBeforeBackup + alertsLost + alertsNew,
                Duration.ofSeconds(60),
                Duration.ofSeconds(1));
        assertThat(alerts).hasSize(alertsBeforeBackup + alertsLost + alertsNew);
        assertOnceEach(only(alerts, "new-"), Model.alerting(afterRestore).keySet());

        MeterRegistry metersAfter = app.getBean(MeterRegistry.class);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> stalled(metersAfter, "notifications") == 0 && stalled(metersAfter, "alerts") == 0);
        assertThat(api.get("/actuator/health").status()).isEqualTo(200);
        log(
                "restored database: {} published before, stalled at 5000 > 3000, {} published after resume"
                        + " ({} repeats dropped by messageId, {} new), alerts {} + {}",
                5_000,
                notifications.size() - 5_000,
                repeated.size(),
                afterRestore.size(),
                alertsBeforeBackup + alertsLost,
                alertsNew);
    }

    /**
     * The same on H2 (the embedded database with Kafka on): a new database publishes from its first
     * message; a copy of its file taken at 1,000 records, started after the relay published 1,500,
     * stalls both feeds, publishes none of 800 new records (seqs 1,001..1,800: continuing after 1,500
     * would publish only the last 300), and after the resume publishes them all.
     */
    @Test
    void onH2ANewDatabasePublishesEverythingAndARestoredOneStallsUntilResumed() throws Exception {
        kafka.createTopics(3, "n-h2", "a-h2");
        List<Rec> beforeBackup = Model.generate(1_000, "h2-kept-", 51);
        List<Rec> lost = Model.generate(500, "h2-lost-", 52);
        List<Rec> afterRestore = Model.generate(800, "h2-new-", 53);
        Path dir = Path.of("target", "h2-relay").toAbsolutePath();
        deleteRecursively(dir);
        String live = h2(dir, "live");

        ConfigurableApplicationContext app = start(live, "n-h2", "a-h2");
        Instances.postAccepted(new Api(Instances.port(app)), beforeBackup);
        Model.checkExactlyOnce(
                kafka.readCommitted("n-h2", 1_000, Duration.ofSeconds(60), Duration.ofSeconds(1)),
                Model.byId(beforeBackup),
                "record.processed");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> published(app.getBean(JdbcTemplate.class), "notifications") == 1_000);
        close(app);
        Files.copy(dir.resolve("live.mv.db"), dir.resolve("backup.mv.db"));

        ConfigurableApplicationContext again = start(live, "n-h2", "a-h2");
        Instances.postAccepted(new Api(Instances.port(again)), lost);
        assertThat(kafka.readCommitted("n-h2", 1_500, Duration.ofSeconds(60), Duration.ofSeconds(1)))
                .hasSize(1_500);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> published(again.getBean(JdbcTemplate.class), "notifications") == 1_500);
        close(again);

        ConfigurableApplicationContext restored = start(h2(dir, "backup"), "n-h2", "a-h2");
        MeterRegistry meters = restored.getBean(MeterRegistry.class);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> stalled(meters, "notifications") == 1
                        || published(restored.getBean(JdbcTemplate.class), "notifications") > 1_000);
        Api api = new Api(Instances.port(restored));
        Instances.postAccepted(api, afterRestore);
        assertThat(kafka.readCommitted("n-h2", 1_500, Duration.ofSeconds(30), Duration.ofSeconds(1)))
                .as("nothing published after the restore")
                .hasSize(1_500);
        assertThat(stalled(meters, "notifications")).isEqualTo(1);
        assertThat(api.post("/actuator/relay/notifications/resume", "application/json", "")
                        .status())
                .isEqualTo(200);
        List<ConsumerRecord<String, String>> all =
                kafka.readCommitted("n-h2", 2_300, Duration.ofSeconds(60), Duration.ofSeconds(1));
        assertThat(all).hasSize(2_300); // the backup's copy of the position was its last seq: no repeats
        assertOnceEach(only(all, "h2-new-"), Model.byId(afterRestore).keySet());
        log(
                "H2: 1000 + 500 published, the restored copy stalled at 1500 > 1000, {} new published after resume",
                afterRestore.size());
    }

    private static String h2(Path dir, String name) {
        return "jdbc:h2:file:" + dir.resolve(name) + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000;DB_CLOSE_ON_EXIT=FALSE";
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private ConfigurableApplicationContext start(String databaseUrl, String notifications, String alerts) {
        Map<String, Object> p = Instances.postgresWithKafka(kafka.bootstrap());
        p.put("spring.datasource.url", databaseUrl);
        if (databaseUrl.startsWith("jdbc:h2:")) {
            p.put("spring.datasource.username", "sa");
            p.put("spring.datasource.password", "");
        }
        p.put("tally.kafka.topics.records", "records-" + notifications);
        p.put("tally.kafka.topics.dead-letter", "dlq-" + notifications);
        p.put("tally.kafka.topics.notifications", notifications);
        p.put("tally.kafka.topics.alerts", alerts);
        p.put("tally.kafka.relay.batch-messages", "500");
        p.put("tally.kafka.relay.retry-max", "1s");
        p.put("tally.kafka.relay.stall-reminder", "1s");
        ConfigurableApplicationContext c = Instances.start(p);
        started.add(c);
        return c;
    }

    private void close(ConfigurableApplicationContext c) {
        c.close();
        started.remove(c);
    }

    /** The messages of records whose id starts with {@code prefix}. */
    private static List<ConsumerRecord<String, String>> only(
            List<ConsumerRecord<String, String>> topic, String prefix) {
        return topic.stream()
                .filter(r -> Model.header(r, "messageId").startsWith(prefix))
                .toList();
    }

    private static void assertOnceEach(List<ConsumerRecord<String, String>> topic, Set<String> expectedIds) {
        List<String> ids = topic.stream().map(r -> Model.header(r, "messageId")).toList();
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(new HashSet<>(ids)).isEqualTo(expectedIds);
    }

    private static JdbcTemplate jdbc(String url) {
        return new JdbcTemplate(
                new DriverManagerDataSource(url, PostgresTestDatabase.USER, PostgresTestDatabase.PASSWORD));
    }

    private static long published(JdbcTemplate db, String feed) {
        return db.queryForObject("SELECT published_seq FROM relay_position WHERE feed = ?", Long.class, feed);
    }

    private static void awaitPublished(String url, long notifications, long alerts) throws InterruptedException {
        JdbcTemplate db = jdbc(url);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> published(db, "notifications") == notifications && published(db, "alerts") == alerts);
    }

    /** The stalled gauge, or -1 while it does not exist. */
    private static double stalled(MeterRegistry meters, String feed) {
        Gauge g = meters.find("tally.kafka.relay.stalled").tag("feed", feed).gauge();
        return g == null ? -1 : g.value();
    }

    private static ListAppender<ILoggingEvent> captureRelayLog() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(OutboxRelay.class)).addAppender(appender);
        return appender;
    }

    private static void log(String format, Object... args) {
        LoggerFactory.getLogger(RelayIdentityIT.class).info(format, args);
    }
}
