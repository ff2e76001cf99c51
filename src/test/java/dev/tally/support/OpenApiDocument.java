package dev.tally.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI document the running service serves at {@code /v3/api-docs}, and its schemas as a
 * JSON Schema validator sees them (networknt, OpenAPI 3.1 dialect: JSON Schema 2020-12 with
 * OpenAPI's {@code example} and {@code discriminator}); {@code $ref}s resolve inside the document.
 */
public final class OpenApiDocument {

    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31());

    private final JsonNode json;

    private OpenApiDocument(JsonNode json) {
        this.json = json;
    }

    public static OpenApiDocument fetch(Api api) {
        Api.Response r = api.get("/v3/api-docs");
        assertThat(r.status()).as("GET /v3/api-docs: %s", r.body()).isEqualTo(200);
        assertThat(r.json().get("openapi").asString()).startsWith("3.1.");
        return new OpenApiDocument(r.json());
    }

    public JsonNode json() {
        return json;
    }

    /** Every operation, as {@code "GET /v1/aggregations"} to its node, in the document's order. */
    public Map<String, JsonNode> operations() {
        Map<String, JsonNode> ops = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> path : json.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                ops.put(op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey(), op.getValue());
            }
        }
        return ops;
    }

    /** The schema named by {@code #/components/schemas/<name>}. */
    public JsonNode componentSchema(String name) {
        return json.get("components").get("schemas").get(name);
    }

    /** What is wrong with {@code instance} by {@code schema} (a schema node of this document); empty if nothing. */
    public List<String> violations(JsonNode schema, JsonNode instance) {
        ObjectNode root = Api.JSON.createObjectNode();
        root.setAll((ObjectNode) schema);
        root.set("components", json.get("components"));
        Schema compiled = SCHEMAS.getSchema(root);
        List<String> errors = new ArrayList<>();
        compiled.validate(instance).forEach(e -> errors.add(e.toString()));
        return errors;
    }

    /** The names of a node's properties, in order. */
    public static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        if (node != null) {
            Iterator<String> it = node.propertyNames().iterator();
            it.forEachRemaining(names::add);
        }
        return names;
    }
}
