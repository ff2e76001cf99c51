package dev.tally.support;

import dev.tally.TallyApplication;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Whole Tally instances in the test JVM (each its own application context and HTTP port), so a
 * test can run several against one PostgreSQL database and one broker, stop one, start another.
 */
public final class Instances {

    private Instances() {}

    /** The properties of an instance on the PostgreSQL test database with Kafka at {@code bootstrap}. */
    public static Map<String, Object> postgresWithKafka(String bootstrap) {
        Map<String, Object> p = new HashMap<>();
        p.put("spring.datasource.url", PostgresTestDatabase.ensure());
        p.put("spring.datasource.username", PostgresTestDatabase.USER);
        p.put("spring.datasource.password", PostgresTestDatabase.PASSWORD);
        p.put("spring.datasource.hikari.minimum-idle", PostgresTestDatabase.POOL_MINIMUM_IDLE);
        p.put("spring.datasource.hikari.idle-timeout", PostgresTestDatabase.POOL_IDLE_TIMEOUT_MS);
        p.put("spring.kafka.bootstrap-servers", bootstrap);
        p.put("server.port", "0");
        p.put("spring.main.banner-mode", "off");
        p.put("tally.kafka.relay.request-timeout", "5s");
        p.put("tally.kafka.relay.leader-retry", "500ms");
        // A consumer that died is noticed in seconds, not after the default 45 s.
        p.put("spring.kafka.consumer.properties.session.timeout.ms", "6000");
        p.put("spring.kafka.consumer.properties.heartbeat.interval.ms", "1000");
        p.put("tally.alerts.thresholds.EUR", "5000");
        return p;
    }

    public static ConfigurableApplicationContext start(Map<String, Object> properties) {
        // As command-line arguments: they override application.properties (builder "properties"
        // would only be defaults, and the embedded H2 URL would win).
        String[] args = properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(TallyApplication.class).run(args);
        Object url = properties.get("spring.datasource.url");
        if (url != null && !url.equals(context.getEnvironment().getProperty("spring.datasource.url"))) {
            context.close();
            throw new IllegalStateException("the instance did not take the test's database " + url);
        }
        return context;
    }

    /** The records as one JSON array, for {@code POST /v1/records/batch}. */
    public static String batch(java.util.List<Rec> records) {
        StringBuilder b = new StringBuilder("[");
        for (Rec r : records) {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append(r.json());
        }
        return b.append(']').toString();
    }

    /** Posts the records as JSON-array batches of 500, asserting each is accepted whole. */
    public static void postAccepted(Api api, java.util.List<Rec> records) {
        for (int from = 0; from < records.size(); from += 500) {
            Api.Response r = api.postJson(
                    "/v1/records/batch", batch(records.subList(from, Math.min(records.size(), from + 500))));
            org.assertj.core.api.Assertions.assertThat(r.status()).as(r.body()).isEqualTo(200);
            org.assertj.core.api.Assertions.assertThat(r.json().get("accepted").asInt())
                    .isEqualTo(Math.min(500, records.size() - from));
        }
    }

    public static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
    }

    public static JdbcTemplate postgres() {
        return new JdbcTemplate(new DriverManagerDataSource(
                PostgresTestDatabase.ensure(), PostgresTestDatabase.USER, PostgresTestDatabase.PASSWORD));
    }

    /**
     * Empties the tables and rewinds seqs and relay positions. Only if the schema exists: the first
     * instance of a run migrates it.
     */
    public static void resetPostgres() {
        JdbcTemplate jdbc = postgres();
        if (tableExists(jdbc, "records")) {
            Tables.reset(jdbc);
        }
        if (tableExists(jdbc, "relay_position")) {
            jdbc.update(
                    "UPDATE relay_position SET published_seq = 0, stalled_position = NULL, resume_requested_at = NULL");
        }
    }

    private static boolean tableExists(JdbcTemplate jdbc, String table) {
        Integer n = jdbc.queryForObject(
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = ?", Integer.class, table);
        return n != null && n > 0;
    }

    /** Closes what a test started, in order, skipping what was never started (a failed @BeforeAll). */
    public static void closeAll(AutoCloseable... started) throws Exception {
        for (AutoCloseable c : started) {
            if (c != null) {
                c.close();
            }
        }
    }
}
