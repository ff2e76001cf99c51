package dev.tally.web;

import java.net.URI;
import java.util.Locale;

/**
 * Every {@code type} a Tally problem response can carry: a stable absolute URI
 * ({@code urn:tally:problem:<slug>}), its status, its title and what a client should do. The one
 * list: docs/errors.md states each in words, and the OpenAPI document's {@code Problem} schema
 * enumerates them from here. A new kind of refusal is a new constant, never a new status under an
 * old type.
 */
public enum ProblemType {
    INVALID_RECORD(400, "Invalid record", "Fix the fields named in errors[] and resend; nothing was stored."),
    INVALID_PARAMETER(
            400, "Invalid query parameter", "Fix the query parameters named in errors[] and resend; nothing was read."),
    MALFORMED_JSON(
            400,
            "Malformed JSON",
            "The body is not the JSON the call takes (one object, or one array); fix it and resend. Nothing was stored."),
    BAD_REQUEST(
            400,
            "Bad request",
            "The request itself is malformed (request line, URI, percent-encoding, query string or a framework-level"
                    + " check); fix the client. Nothing was done."),
    UNAUTHORIZED(
            401,
            "Unauthorized",
            "Send a valid, unexpired bearer token (Authorization: Bearer <JWT>); see WWW-Authenticate for why it was refused."),
    INSUFFICIENT_SCOPE(
            403,
            "Insufficient scope",
            "Use a token carrying the scope named in detail; retrying the same token is useless."),
    FORBIDDEN_SOURCE(
            403,
            "Source not allowed",
            "The token's tally_sources claim does not list the record's sourceId; nothing was stored. Use a token for"
                    + " that source, or fix the sourceId."),
    NOT_FOUND(404, "Not found", "No record with that recordId, or no resource at this path; check the URI."),
    METHOD_NOT_ALLOWED(405, "Method not allowed", "Use a method the resource supports (see the Allow header)."),
    NOT_ACCEPTABLE(406, "Not acceptable", "Accept application/json (and application/problem+json for errors)."),
    CONFLICT(
            409,
            "Conflicting record",
            "The recordId was already processed with other content (differingFields); the stored record is unchanged."
                    + " Do not resend it: use a new recordId for a new record, or reconcile with GET /v1/records/{id}."),
    TOO_LARGE(
            413,
            "Content too large",
            "The body, a line or the item count is over its limit (detail names it); split it or use NDJSON."),
    URI_TOO_LONG(414, "URI too long", "Shorten the request line (for example the query or a recordId)."),
    UNSUPPORTED_MEDIA_TYPE(
            415,
            "Unsupported media type",
            "Send Content-Type application/json (or, for a batch, application/x-ndjson); see the Accept header."),
    HEADERS_TOO_LARGE(431, "Request headers too large", "Send fewer or smaller headers."),
    INTERNAL_ERROR(
            500,
            "Internal error",
            "A bug, logged by the server; report it. Resending is safe (processing is idempotent by recordId)."),
    OVERLOADED(
            503,
            "Overloaded",
            "The write queue is full or the commit was not confirmed in time; wait Retry-After seconds and resend"
                    + " (safe: processing is idempotent by recordId)."),
    UNAVAILABLE(
            503,
            "Service unavailable",
            "The database is unreachable or the service is stopping; wait Retry-After seconds and resend (safe).");

    /** The prefix of every type URI. */
    public static final String PREFIX = "urn:tally:problem:";

    private final int status;
    private final String title;
    private final String advice;
    private final URI uri;

    ProblemType(int status, String title, String advice) {
        this.status = status;
        this.title = title;
        this.advice = advice;
        this.uri = URI.create(PREFIX + slug(name()));
    }

    private static String slug(String constant) {
        return constant.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** {@code urn:tally:problem:<slug>}. */
    public URI uri() {
        return uri;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** What a client should do about it (docs/errors.md says the same at length). */
    public String advice() {
        return advice;
    }

    /**
     * The type of a refusal known only by its status (the container's, the framework's): the
     * status's own type, else {@link #BAD_REQUEST} for any other 4xx and {@link #INTERNAL_ERROR}
     * for any other status.
     */
    public static ProblemType forStatus(int status) {
        return switch (status) {
            case 400 -> BAD_REQUEST;
            case 401 -> UNAUTHORIZED;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 409 -> CONFLICT;
            case 413 -> TOO_LARGE;
            case 414 -> URI_TOO_LONG;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 431 -> HEADERS_TOO_LARGE;
            case 503 -> UNAVAILABLE;
            default -> status >= 400 && status < 500 ? BAD_REQUEST : INTERNAL_ERROR;
        };
    }
}
