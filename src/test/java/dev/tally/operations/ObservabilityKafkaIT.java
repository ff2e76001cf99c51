package dev.tally.operations;

import static dev.tally.support.Rec.rec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tally.support.Api;
import dev.tally.support.Instances;
import dev.tally.support.KafkaCluster;
import dev.tally.support.Model;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

/**
 * With PostgreSQL and a real broker: published messages carry the trace their record came in
 * with, and the Grafana dashboard and the Prometheus alert rules in {@code deploy/} query only metrics that a
 * running instance (PostgreSQL, Kafka on, traffic over HTTP and Kafka, a dead letter) exposes on
 * {@code /actuator/prometheus}: a renamed or dropped metric fails here, not on an operator's screen.
 */
class ObservabilityKafkaIT {

    private static final Path DASHBOARD = Path.of("deploy/grafana/tally-dashboard.json");
    private static final Path RULES = Path.of("deploy/prometheus/tally-rules.yaml");
    /** Tally's, the Kafka clients' and the HTTP server's series: the only ones deploy/ queries. */
    private static final Pattern METRIC = Pattern.compile("\\b((?:tally|kafka|http_server)_[a-z0-9_]+)\\b");

    private static KafkaCluster kafka;
    private static ConfigurableApplicationContext app;

    @BeforeAll
    static void start() {
        kafka = KafkaCluster.start("dashboard");
        kafka.createTopics(2, "records", "records.dlq", "notifications", "alerts");
        Instances.resetPostgres();
        Map<String, Object> p = Instances.postgresWithKafka(kafka.bootstrap());
        p.put("tally.kafka.topics.records", "records");
        app = Instances.start(p);
    }

    @AfterAll
    static void stop() throws Exception {
        Instances.closeAll(app, kafka);
    }

    @Test
    void everyMetricTheDashboardAndTheAlertRulesQueryExists() throws Exception {
        Api api = new Api(Instances.port(app));
        assertThat(api.postJson("/v1/records", rec("d-1").json()).status()).isEqualTo(201);
        kafka.produce(List.of(
                new ProducerRecord<>("records", "d-2", rec("d-2").json()),
                new ProducerRecord<>("records", "bad", "{\"recordId\":")));
        kafka.readCommitted("records.dlq", 1, Duration.ofSeconds(60), Duration.ofSeconds(1));
        kafka.readCommitted("notifications", 2, Duration.ofSeconds(60), Duration.ofSeconds(1));

        Set<String> queried = new TreeSet<>();
        queried.addAll(dashboardMetrics());
        queried.addAll(ruleMetrics());
        assertThat(queried).hasSizeGreaterThan(10);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Set<String> missing = new TreeSet<>(queried);
            missing.removeAll(exposed(api));
            assertThat(missing).as("queried by deploy/ but not exposed").isEmpty();
        });
    }

    @Test
    void aPublishedMessageCarriesTheTraceparentItsRecordCameInWith() {
        String overHttp = "00-6bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        String overKafka = "00-7bf92f3577b34da6a3ce929d0e0e4736-10f067aa0ba902b7-01";
        assertThat(post(rec("tp-1").json(), overHttp)).isEqualTo(201);
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", overKafka.getBytes(StandardCharsets.UTF_8));
        // above the default threshold: a notification and an alert
        kafka.produce(List.of(new ProducerRecord<>(
                "records", null, "tp-2", rec("tp-2").value("20000.00").json(), headers)));

        // over Kafka: the producer's own context, as it came; over HTTP: a span of that request's trace
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Map<String, String> traceparents = publishedTraceparents();
            assertThat(traceparents)
                    .containsEntry("notifications/tp-2", overKafka)
                    .containsEntry("alerts/tp-2", overKafka);
            assertThat(traceparents.get("notifications/tp-1"))
                    .matches("00-6bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01");
        });
    }

    /** The traceparent header of every published message, by topic/messageId. */
    private static Map<String, String> publishedTraceparents() {
        Map<String, String> traceparents = new HashMap<>();
        List<ConsumerRecord<String, String>> published = new ArrayList<>();
        published.addAll(kafka.readCommitted("notifications", 1, Duration.ofSeconds(10), Duration.ofSeconds(1)));
        published.addAll(kafka.readCommitted("alerts", 1, Duration.ofSeconds(10), Duration.ofSeconds(1)));
        for (ConsumerRecord<String, String> m : published) {
            Header h = m.headers().lastHeader("traceparent");
            if (h != null) {
                traceparents.put(
                        m.topic() + "/" + Model.header(m, "messageId"), new String(h.value(), StandardCharsets.UTF_8));
            }
        }
        return traceparents;
    }

    private static int post(String json, String traceparent) {
        try {
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + Instances.port(app) + "/v1/records"))
                    .header("Content-Type", "application/json")
                    .header("traceparent", traceparent)
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(json))
                    .build();
            return HttpClient.newHttpClient()
                    .send(request, HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> dashboardMetrics() throws Exception {
        JsonNode dashboard = Api.JSON.readTree(Files.readString(DASHBOARD));
        Set<String> names = new TreeSet<>();
        int targets = 0;
        for (JsonNode panel : dashboard.get("panels")) {
            assertThat(panel.get("title").asString()).isNotBlank();
            for (JsonNode target : panel.get("targets")) {
                names.addAll(metricsIn(target.get("expr").asString()));
                targets++;
            }
        }
        assertThat(targets).isGreaterThan(10);
        return names;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> ruleMetrics() throws Exception {
        Map<String, Object> file = new Yaml().load(Files.readString(RULES));
        Set<String> names = new TreeSet<>();
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
            assertThat(group.get("name")).isNotNull();
            rules.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        assertThat(rules).isNotEmpty();
        for (Map<String, Object> rule : rules) {
            assertThat(rule).containsKeys("alert", "expr", "labels", "annotations");
            assertThat(((Map<String, Object>) rule.get("labels")).get("severity"))
                    .as("severity of %s", rule.get("alert"))
                    .isIn("warning", "critical");
            names.addAll(metricsIn((String) rule.get("expr")));
        }
        return names;
    }

    private static Set<String> metricsIn(String expr) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(expr);
        while (m.find()) {
            names.add(m.group(1));
        }
        assertThat(names).as("a metric in %s", expr).isNotEmpty();
        return names;
    }

    /** The series names on /actuator/prometheus. */
    private static Set<String> exposed(Api api) {
        Api.Response scrape = api.get("/actuator/prometheus");
        assertThat(scrape.status()).isEqualTo(200);
        Set<String> names = new TreeSet<>();
        for (String line : scrape.body().split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                int end = line.indexOf('{');
                names.add(line.substring(0, end > 0 ? end : line.indexOf(' ')));
            }
        }
        return names;
    }
}
