package dev.tally.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Problems for requests refused before any controller saw them: by Tomcat (a malformed URI, an
 * over-long request line or header), by the servlet container (an unsupported method) or by the
 * edge filters (a malformed query string). Written as bytes, without Spring's message converters,
 * because Tomcat's error report valve has none.
 */
public final class EdgeProblems {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** Writes only; the read limits of {@code record.RecordJson}'s factory do not apply. */
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private EdgeProblems() {}

    /** A problem for {@code status} with its {@link ProblemType}; {@code detail} says what to fix. */
    public static ProblemDetail forStatus(int status, String detail) {
        ProblemType type = ProblemType.forStatus(status);
        HttpStatus known = HttpStatus.resolve(status);
        // a status without a type of its own keeps its reason phrase as the title
        String title = type.status() == status || known == null ? type.title() : known.getReasonPhrase();
        ProblemDetail p = ProblemDetail.forStatus(status);
        p.setType(type.uri());
        p.setTitle(title);
        p.setDetail(detail);
        return p;
    }

    /**
     * Sets the request's URI as the problem's instance, as the client sent it (so already encoded);
     * a URI that Tomcat accepted but {@code java.net.URI} does not leaves the problem without one.
     */
    public static ProblemDetail withInstance(ProblemDetail p, String requestUri) {
        if (requestUri != null) {
            try {
                p.setInstance(URI.create(requestUri));
            } catch (IllegalArgumentException notAUri) {
                // the problem goes without an instance
            }
        }
        return p;
    }

    /** Answers with {@code p} as the whole response, unless something was already sent. */
    public static void send(HttpServletResponse response, ProblemDetail p) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.setStatus(p.getStatus());
        response.setContentType(MEDIA_TYPE);
        response.getOutputStream().write(json(p));
    }

    /** The RFC 9457 JSON of {@code p}: type, title, status, detail and, when known, instance. */
    public static byte[] json(ProblemDetail p) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            g.writeStringProperty("type", String.valueOf(p.getType()));
            g.writeStringProperty("title", p.getTitle());
            g.writeNumberProperty("status", p.getStatus());
            g.writeStringProperty("detail", p.getDetail());
            if (p.getInstance() != null) {
                g.writeStringProperty("instance", p.getInstance().toString());
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }
}
