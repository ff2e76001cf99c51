package dev.tally.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP client for the service under test. Response numbers are read as BigDecimal, so a
 * test can assert exact decimals (and scales).
 */
public final class Api {

    public static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;
    private final String authorization;

    public Api(int port) {
        this("http://127.0.0.1:" + port, null);
    }

    private Api(String base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    /** The same client, sending {@code Authorization: Bearer <token>} with every request. */
    public Api withBearer(String token) {
        return new Api(base, "Bearer " + token);
    }

    /** The same client, sending this {@code Authorization} header as it is. */
    public Api withAuthorization(String header) {
        return new Api(base, header);
    }

    /**
     * A response: status, Content-Type, Retry-After, Location, the body as text and as JSON (null if
     * not JSON), and WWW-Authenticate.
     */
    public record Response(
            int status,
            String contentType,
            String retryAfter,
            String location,
            String body,
            JsonNode json,
            String wwwAuthenticate) {}

    public Response get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET());
    }

    public Response post(String path, String contentType, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Response postJson(String path, String body) {
        return post(path, "application/json", body);
    }

    private Response send(HttpRequest.Builder request) {
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> r =
                    CLIENT.send(request.timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
            String type = r.headers().firstValue("Content-Type").orElse("");
            JsonNode json = type.contains("json") && !r.body().isEmpty() ? JSON.readTree(r.body()) : null;
            return new Response(
                    r.statusCode(),
                    type,
                    r.headers().firstValue("Retry-After").orElse(null),
                    r.headers().firstValue("Location").orElse(null),
                    r.body(),
                    json,
                    r.headers().firstValue("WWW-Authenticate").orElse(null));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
