package dev.tally.support;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.resource.ResourceLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON Schema (2020-12) files of the event contract, {@code docs/schemas/*.schema.json}, read
 * from the working tree (the tests run in the project's folder) by networknt's validator. Relative
 * {@code $ref}s between the files resolve as they would for anyone who has the folder.
 */
public final class EventSchemas {

    public static final Path DOCS = Path.of("docs");
    public static final Path SCHEMAS = DOCS.resolve("schemas");
    public static final Path ASYNCAPI = DOCS.resolve("asyncapi.yaml");

    /**
     * Loads {@code file:} IRIs inside {@code docs/} and nothing else: the meta-schemas come from the
     * validator's jar, and nothing is ever fetched from a network.
     */
    private static final ResourceLoader DOCS_ONLY = iri -> {
        if (!iri.toString().startsWith("file:")) {
            return null;
        }
        Path path = Path.of(URI.create(iri.toString())).normalize();
        return path.startsWith(DOCS.toAbsolutePath().normalize()) ? () -> Files.newInputStream(path) : null;
    };

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            b -> b.schemaLoader(loader -> loader.resourceLoaders(loaders -> loaders.add(DOCS_ONLY))));
    private static final Map<String, Schema> CACHE = new ConcurrentHashMap<>();

    private EventSchemas() {}

    /** The schema at {@code ref}: a path relative to {@code docs/schemas/}, optionally with a {@code #} fragment. */
    public static Schema schema(String ref) {
        return CACHE.computeIfAbsent(ref, r -> {
            int hash = r.indexOf('#');
            String file = hash < 0 ? r : r.substring(0, hash);
            String iri =
                    SCHEMAS.resolve(file).toAbsolutePath().normalize().toUri().toString();
            Schema s = REGISTRY.getSchema(SchemaLocation.of(hash < 0 ? iri : iri + r.substring(hash)));
            s.initializeValidators(); // resolves every $ref now: a broken one fails here, not on some input
            return s;
        });
    }

    /** The validation errors of {@code instance} against the schema at {@code ref}, as readable lines. */
    public static List<String> errors(String ref, JsonNode instance) {
        List<String> out = new ArrayList<>();
        for (Error e : schema(ref).validate(instance)) {
            out.add(e.getInstanceLocation() + ": " + e.getMessage());
        }
        return out;
    }

    public static List<String> errors(String ref, String json) {
        return errors(ref, Api.JSON.readTree(json));
    }

    /** Every {@code *.schema.json} file of {@code docs/schemas/}, by file name. */
    public static List<String> files() {
        try (Stream<Path> s = Files.list(SCHEMAS)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".schema.json"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode read(String file) {
        try {
            return Api.JSON.readTree(Files.readString(SCHEMAS.resolve(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Kafka headers as the JSON object the header schemas describe: name to UTF-8 text, or to base64
     * where the schema says the header is binary ({@code contentEncoding: base64}). A repeated name
     * keeps its last value, as {@code Headers.lastHeader} reads it.
     */
    public static ObjectNode headersJson(String schemaFile, Headers headers) {
        JsonNode properties = read(schemaFile).get("properties");
        ObjectNode out = Api.JSON.createObjectNode();
        for (Header h : headers) {
            JsonNode property = properties.get(h.key());
            boolean binary = property != null
                    && property.has("contentEncoding")
                    && property.get("contentEncoding").asString().equals("base64");
            out.put(
                    h.key(),
                    binary
                            ? Base64.getEncoder().encodeToString(h.value())
                            : new String(h.value(), StandardCharsets.UTF_8));
        }
        return out;
    }

    /**
     * The texts of the numbers in {@code json} that are not in plain notation (an exponent): the
     * schemas can only say "number", the contract says exact decimals in plain notation.
     */
    public static List<String> numbersNotPlain(String json) {
        List<String> out = new ArrayList<>();
        try (JsonParser p = Api.JSON.createParser(json)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if ((t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT)
                        && (p.getText().indexOf('e') >= 0 || p.getText().indexOf('E') >= 0)) {
                    out.add(p.getText());
                }
            }
        }
        return out;
    }
}
