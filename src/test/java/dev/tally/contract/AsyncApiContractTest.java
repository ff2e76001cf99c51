package dev.tally.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.tally.config.TallyKafkaProperties;
import dev.tally.support.Api;
import dev.tally.support.EventSchemas;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code docs/asyncapi.yaml} and {@code docs/schemas/}: the document parses (SnakeYAML, no
 * duplicate keys) and is valid by the AsyncAPI Initiative's own 3.0.0 schema; every {@code $ref}
 * resolves, in the document and in the schema files; every schema file is used and is a valid
 * 2020-12 schema; every message's examples match its schemas; the channels name Tally's topics
 * with the defaults of {@link TallyKafkaProperties}. No broker: {@code EventContractIT} validates
 * what the running service really publishes.
 */
class AsyncApiContractTest {

    private static final String ASYNCAPI_SCHEMA = "asyncapi/asyncapi-3.0.0.schema.json";
    private static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";

    private static JsonNode doc;

    @BeforeAll
    static void parse() throws IOException {
        doc = yaml(EventSchemas.ASYNCAPI);
    }

    /** YAML as a JSON tree; a repeated key is an error, not a silent overwrite. */
    private static JsonNode yaml(Path file) throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Object tree = new Yaml(new SafeConstructor(options)).load(r);
            return Api.JSON.valueToTree(tree);
        }
    }

    @Test
    void theDocumentIsValidByTheOfficialAsyncApi300Schema() {
        assertThat(doc.get("asyncapi").asString()).isEqualTo("3.0.0");
        assertThat(asyncApiErrors(doc)).isEmpty();

        // The check can fail: AsyncAPI 2's "publish" is not an action of 3.0, nor a top-level "topics".
        ObjectNode wrong = (ObjectNode) doc.deepCopy();
        ((ObjectNode) wrong.get("operations").get("sendAlerts")).put("action", "publish");
        assertThat(asyncApiErrors(wrong)).isNotEmpty();
        ObjectNode extra = (ObjectNode) doc.deepCopy();
        extra.putObject("topics");
        assertThat(asyncApiErrors(extra)).isNotEmpty();
    }

    @Test
    void aRepeatedKeyIsRefused(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path twice = dir.resolve("twice.yaml");
        Files.writeString(twice, "asyncapi: 3.0.0\nasyncapi: 2.6.0\n");
        assertThatThrownBy(() -> yaml(twice)).isInstanceOf(YAMLException.class);
    }

    @Test
    void everyRefResolvesAndEverySchemaFileIsUsed() {
        List<String> unresolved = new ArrayList<>();
        Set<String> files = new TreeSet<>();
        walkRefs(doc, EventSchemas.ASYNCAPI, doc, unresolved, files);
        assertThat(unresolved).as("unresolved $refs").isEmpty();
        assertThat(files)
                .as("schema files reached from docs/asyncapi.yaml")
                .containsExactlyElementsOf(EventSchemas.files());

        // The walk can fail: a reference to a file that does not exist, or to a missing definition.
        List<String> broken = new ArrayList<>();
        JsonNode bad = Api.JSON.readTree(
                "{\"a\":{\"$ref\":\"schemas/nope.schema.json\"},\"b\":{\"$ref\":\"schemas/record.schema.json#/$defs/nope\"},"
                        + "\"c\":{\"$ref\":\"#/components/nope\"}}");
        walkRefs(bad, EventSchemas.ASYNCAPI, bad, broken, new TreeSet<>());
        assertThat(broken).hasSize(3);
    }

    @Test
    void everySchemaFileIsAValid202012SchemaWhoseRefsResolve() {
        Schema meta = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(SchemaLocation.of(DRAFT_2020_12));
        assertThat(EventSchemas.files()).hasSizeGreaterThanOrEqualTo(11);
        for (String file : EventSchemas.files()) {
            JsonNode schema = EventSchemas.read(file);
            assertThat(schema.get("$schema").asString()).as(file).isEqualTo(DRAFT_2020_12);
            assertThat(schema.get("title").asString()).as(file).isNotBlank();
            assertThat(schema.get("description").asString()).as(file).isNotBlank();
            assertThat(meta.validate(schema)).as(file).isEmpty();
            EventSchemas.schema(file); // builds it, resolving every $ref
        }
        assertThat(meta.validate(Api.JSON.readTree("{\"type\":\"strnig\",\"minLength\":-1}")))
                .as("the meta-schema rejects a broken schema")
                .isNotEmpty();
    }

    @Test
    void theExamplesOfEveryMessageMatchTheirSchemas() {
        JsonNode messages = doc.get("components").get("messages");
        assertThat(messages.propertyNames())
                .containsExactlyInAnyOrder("record", "notification", "alert", "deadLetter", "relayPosition");
        for (String name : messages.propertyNames()) {
            JsonNode message = messages.get(name);
            String payload = schemaFile(message.get("payload"));
            String headers = schemaFile(message.get("headers"));
            assertThat(message.get("examples")).as(name).isNotEmpty();
            for (JsonNode example : message.get("examples")) {
                String where = name + "/" + example.get("name").asString();
                if (payload != null) {
                    assertThat(EventSchemas.errors(payload, example.get("payload")))
                            .as(where)
                            .isEmpty();
                    assertThat(EventSchemas.numbersNotPlain(
                                    example.get("payload").toString()))
                            .as(where)
                            .isEmpty();
                }
                if (headers != null) {
                    assertThat(example.has("headers")).as(where).isTrue();
                    assertThat(EventSchemas.errors(headers, example.get("headers")))
                            .as(where)
                            .isEmpty();
                }
            }
        }
        // Dead letters have no payload schema (the original bytes); their headers say the same
        // thing twice, in text and in Spring Kafka's binary form.
        assertThat(schemaFile(messages.get("deadLetter").get("payload"))).isNull();
        for (JsonNode example : messages.get("deadLetter").get("examples")) {
            JsonNode h = example.get("headers");
            assertThat(EventSchemas.errors(
                            "dead-letter-errors.schema.json",
                            h.get("tally-dlq-errors").asString()))
                    .isEmpty();
            assertThat(Base64.getDecoder()
                            .decode(h.get("kafka_dlt-original-partition").asString()))
                    .isEqualTo(java.nio.ByteBuffer.allocate(4)
                            .putInt(Integer.parseInt(
                                    h.get("tally-dlq-original-partition").asString()))
                            .array());
            assertThat(Base64.getDecoder()
                            .decode(h.get("kafka_dlt-original-offset").asString()))
                    .isEqualTo(java.nio.ByteBuffer.allocate(8)
                            .putLong(Long.parseLong(
                                    h.get("tally-dlq-original-offset").asString()))
                            .array());
            assertThat(Base64.getDecoder()
                            .decode(h.get("kafka_dlt-original-timestamp").asString()))
                    .isEqualTo(java.nio.ByteBuffer.allocate(8)
                            .putLong(Long.parseLong(
                                    h.get("tally-dlq-original-timestamp").asString()))
                            .array());
            assertThat(h.get("kafka_dlt-original-topic")).isEqualTo(h.get("tally-dlq-original-topic"));
        }
    }

    @Test
    void theChannelsAreTallysTopicsWithTheirDefaultNames() {
        TallyKafkaProperties defaults = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("tally.kafka", TallyKafkaProperties.class);
        TallyKafkaProperties.Topics topics = defaults.topics();
        JsonNode channels = doc.get("channels");
        assertThat(parameterDefault(channels, "records", "recordsTopic"))
                .isEqualTo(topics.records().get(0));
        assertThat(parameterDefault(channels, "notifications", "notificationsTopic"))
                .isEqualTo(topics.notifications());
        assertThat(parameterDefault(channels, "alerts", "alertsTopic")).isEqualTo(topics.alerts());
        assertThat(parameterDefault(channels, "deadLetters", "deadLetterTopic")).isEqualTo(topics.deadLetter());
        assertThat(parameterDefault(channels, "relayPositions", "relayPositionsTopic"))
                .isEqualTo(topics.relayPositions());
        assertThat(doc.at("/operations/receiveRecords/bindings/kafka/groupId/default")
                        .asString())
                .isEqualTo(defaults.consumer().groupId());

        // From Tally's point of view: records are received, everything else is sent.
        Map<String, String> actions = Map.of(
                "receiveRecords", "receive",
                "sendNotifications", "send",
                "sendAlerts", "send",
                "sendDeadLetters", "send",
                "sendRelayPositions", "send",
                "receiveRelayPositions", "receive");
        JsonNode operations = doc.get("operations");
        assertThat(operations.propertyNames()).containsExactlyInAnyOrderElementsOf(actions.keySet());
        Set<String> used = new TreeSet<>();
        for (String name : operations.propertyNames()) {
            JsonNode op = operations.get(name);
            assertThat(op.get("action").asString()).as(name).isEqualTo(actions.get(name));
            String channel = op.get("channel").get("$ref").asString();
            assertThat(channel).startsWith("#/channels/");
            used.add(channel.substring("#/channels/".length()));
            for (JsonNode m : op.get("messages")) {
                // AsyncAPI 3: an operation's messages are messages of its channel.
                assertThat(m.get("$ref").asString()).as(name).startsWith(channel + "/messages/");
            }
        }
        assertThat(used).as("every channel has an operation").isEqualTo(new TreeSet<>(channels.propertyNames()));
        // The published messages are keyed by destinationId.
        for (String m : List.of("notification", "alert")) {
            JsonNode key = doc.at("/components/messages/" + m + "/bindings/kafka/key");
            assertThat(key.get("type").asString()).isEqualTo("string");
            assertThat(key.get("description").asString()).contains("destinationId");
        }
    }

    /**
     * The schemas can fail, and they say what Tally never sends: each of these differs from a
     * valid example in one thing.
     */
    @Test
    void theSchemasRejectWhatTallyNeverSends() {
        JsonNode notification = example("notification", 0, "payload");
        assertThat(EventSchemas.errors("notification.schema.json", notification))
                .isEmpty();
        assertRejected("notification.schema.json", set(notification, "/record/value", "\"20.00\""));
        assertRejected("notification.schema.json", set(notification, "/record/value", "-20.00"));
        assertRejected("notification.schema.json", set(notification, "/seq", "0"));
        assertRejected("notification.schema.json", set(notification, "/type", "\"record.threshold_exceeded\""));
        assertRejected("notification.schema.json", set(notification, "/processedAt", "\"2026-03-02T10:31:00\""));
        assertRejected("notification.schema.json", set(notification, "/record/time", "\"2026-03-02T12:30:00+02:00\""));
        assertRejected("notification.schema.json", set(notification, "/summary/previous/firstTime", "null"));
        assertRejected("notification.schema.json", set(notification, "/summary/previous/recordCount", "0"));
        assertRejected("notification.schema.json", set(notification, "/summary/previous/totals/0/net", "\"1\""));
        assertRejected("notification.schema.json", set(notification, "/extra", "1"));
        assertRejected("notification.schema.json", remove(notification, "processedAt"));

        JsonNode alert = example("alert", 0, "payload");
        assertThat(EventSchemas.errors("alert.schema.json", alert)).isEmpty();
        assertRejected("alert.schema.json", remove(alert, "threshold"));
        assertRejected("alert.schema.json", set(alert, "/threshold/value", "\"10000\""));
        assertRejected("alert.schema.json", notification);
        assertRejected("notification.schema.json", alert);

        ObjectNode page = Api.JSON.createObjectNode();
        page.putArray("messages").add(notification);
        page.put("next", 2);
        assertThat(EventSchemas.errors("notification-feed.schema.json", page)).isEmpty();
        assertRejected("alert-feed.schema.json", page);
        assertRejected("notification-feed.schema.json", set(page, "/next", "-1"));

        JsonNode headers = example("notification", 0, "headers");
        assertThat(EventSchemas.errors("notification-headers.schema.json", headers))
                .isEmpty();
        assertRejected("notification-headers.schema.json", set(headers, "/ce_type", "\"dev.tally.alert.raised.v1\""));
        assertRejected("notification-headers.schema.json", set(headers, "/ce_specversion", "\"0.3\""));
        assertRejected("notification-headers.schema.json", set(headers, "/seq", "\"two\""));
        assertRejected("notification-headers.schema.json", remove(headers, "ce_source"));
        assertRejected("alert-headers.schema.json", headers);
        ObjectNode onlySpecVersion = (ObjectNode) example("notification", 1, "headers");
        assertThat(EventSchemas.errors("notification-headers.schema.json", onlySpecVersion))
                .isEmpty();
        onlySpecVersion.put("ce_specversion", "1.0");
        assertRejected("notification-headers.schema.json", onlySpecVersion);

        JsonNode invalid = example("deadLetter", 0, "headers");
        JsonNode failed = example("deadLetter", 1, "headers");
        String dlq = "dead-letter-headers.schema.json";
        assertRejected(dlq, set(invalid, "/tally-dlq-reason", "\"bad\""));
        assertRejected(dlq, set(invalid, "/kafka_dlt-exception-fqcn", "\"java.lang.Exception\""));
        assertRejected(dlq, set(invalid, "/kafka_dlt-original-partition", "\"AAAAAAAAAAI=\"")); // 8 bytes
        assertRejected(dlq, set(invalid, "/kafka_dlt-original-offset", "\"AAAAKQ==\"")); // 4 bytes
        assertRejected(dlq, set(invalid, "/kafka_dlt-original-timestamp-type", "\"create\""));
        assertRejected(dlq, remove(invalid, "kafka_dlt-original-topic"));
        assertRejected(dlq, remove(failed, "tally-dlq-exception"));
        assertRejected(dlq, remove(failed, "kafka_dlt-exception-stacktrace"));
        assertRejected(dlq, set(failed, "/tally-dlq-fields", "\"value\""));
        assertRejected("dead-letter-errors.schema.json", Api.JSON.readTree("[]"));
        assertRejected("dead-letter-errors.schema.json", Api.JSON.readTree("[{\"field\":\"value\"}]"));

        JsonNode position = example("relayPosition", 0, "payload");
        assertThat(EventSchemas.errors("relay-position.schema.json", position)).isEmpty();
        assertRejected("relay-position.schema.json", set(position, "/seq", "-1"));
    }

    private static void assertRejected(String schema, JsonNode instance) {
        assertThat(EventSchemas.errors(schema, instance))
                .as("%s must reject %s", schema, instance)
                .isNotEmpty();
    }

    private static JsonNode example(String message, int index, String part) {
        return doc.get("components")
                .get("messages")
                .get(message)
                .get("examples")
                .get(index)
                .get(part)
                .deepCopy();
    }

    /** A copy of {@code node} with the value at {@code pointer} (its parent must exist) set to {@code json}. */
    private static JsonNode set(JsonNode node, String pointer, String json) {
        JsonNode copy = node.deepCopy();
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = slash == 0 ? copy : copy.at(pointer.substring(0, slash));
        String last = pointer.substring(slash + 1);
        JsonNode value = Api.JSON.readTree(json);
        if (parent.isArray()) {
            ((tools.jackson.databind.node.ArrayNode) parent).set(Integer.parseInt(last), value);
        } else {
            ((ObjectNode) parent).set(last, value);
        }
        return copy;
    }

    private static JsonNode remove(JsonNode node, String field) {
        ObjectNode copy = (ObjectNode) node.deepCopy();
        copy.remove(field);
        return copy;
    }

    private static List<String> asyncApiErrors(JsonNode document) {
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
                .getSchema(SchemaLocation.of("classpath:" + ASYNCAPI_SCHEMA));
        return schema.validate(document).stream()
                .map(e -> e.getInstanceLocation() + ": " + e.getMessage())
                .toList();
    }

    private static String parameterDefault(JsonNode channels, String channel, String parameter) {
        JsonNode c = channels.get(channel);
        assertThat(c.get("address").asString()).isEqualTo("{" + parameter + "}");
        return c.get("parameters").get(parameter).get("default").asString();
    }

    /** The schema file of a Multi Format Schema Object with a JSON Schema 2020-12 {@code $ref}, else null. */
    private static String schemaFile(JsonNode multiFormat) {
        if (multiFormat == null || !multiFormat.has("schemaFormat")) {
            return null;
        }
        assertThat(multiFormat.get("schemaFormat").asString())
                .isEqualTo("application/schema+json;version=draft-2020-12");
        String ref = multiFormat.get("schema").get("$ref").asString();
        assertThat(ref).startsWith("schemas/");
        return ref.substring("schemas/".length());
    }

    /**
     * Every {@code $ref} under {@code node} (in the file {@code base}, whose whole tree is
     * {@code root}) must resolve: a local {@code #/...} pointer in the same file, or a file relative
     * to {@code base}'s folder with an optional pointer into it. Files reached are walked too.
     */
    private static void walkRefs(JsonNode node, Path base, JsonNode root, List<String> unresolved, Set<String> files) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isString()) {
                resolve(ref.asString(), base, root, unresolved, files);
            }
            for (String name : node.propertyNames()) {
                if (!name.equals("examples")) { // examples are data, not schemas
                    walkRefs(node.get(name), base, root, unresolved, files);
                }
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                walkRefs(item, base, root, unresolved, files);
            }
        }
    }

    private static void resolve(String ref, Path base, JsonNode root, List<String> unresolved, Set<String> files) {
        int hash = ref.indexOf('#');
        String file = hash < 0 ? ref : ref.substring(0, hash);
        String pointer = hash < 0 ? "" : ref.substring(hash + 1);
        JsonNode target = root;
        if (!file.isEmpty()) {
            Path path = base.resolveSibling(file).normalize();
            if (!path.getParent().equals(EventSchemas.SCHEMAS) || !Files.isRegularFile(path)) {
                unresolved.add(base + ": " + ref + " (no file " + path + ")");
                return;
            }
            target = EventSchemas.read(path.getFileName().toString());
            if (files.add(path.getFileName().toString())) {
                walkRefs(target, path, target, unresolved, files);
            }
        }
        if (!pointer.isEmpty() && target.at(pointer).isMissingNode()) {
            unresolved.add(base + ": " + ref + " (no " + pointer + ")");
        }
    }
}
