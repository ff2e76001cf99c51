package dev.tally.web.api;

/**
 * The examples of the OpenAPI document, as JSON text. They form one story that runs on an empty
 * database in this order, and {@code OpenApiExamplesH2IT} replays it: a request example and the
 * response example of the same name (under the status it is answered with) belong together.
 */
public final class ApiExamples {

    private ApiExamples() {}

    // --- POST /v1/records ----------------------------------------------------------------------

    public static final String ACCEPTED = "accepted";
    public static final String DUPLICATE = "duplicate";
    public static final String CONFLICT = "conflict";
    public static final String INVALID = "invalid";
    public static final String MALFORMED = "malformed";

    public static final String RECORD = """
            {"recordId":"r-1","time":"2026-03-01T12:00:00Z","sourceId":"billing","destinationId":"acct-42",\
            "type":"positive","value":"125.50","unit":"SEK","reference":"inv-2026-001"}""";

    /** The same record spelled differently: the same instant, the same number. */
    public static final String RECORD_AGAIN = """
            {"recordId":"r-1","time":"2026-03-01T14:00:00+02:00","sourceId":"billing","destinationId":"acct-42",\
            "type":"positive","value":125.5,"unit":"SEK","reference":"inv-2026-001"}""";

    public static final String RECORD_CONFLICTING = """
            {"recordId":"r-1","time":"2026-03-01T12:00:00Z","sourceId":"billing","destinationId":"acct-42",\
            "type":"positive","value":"99.00","unit":"SEK","reference":"inv-2026-001"}""";

    public static final String RECORD_INVALID = """
            {"recordId":"r-9","time":"2026-03-01 12:00","sourceId":"billing","destinationId":"acct-42",\
            "type":"credit","value":-5,"unit":"SEK"}""";

    public static final String RECORD_MALFORMED = "[{\"recordId\":\"r-1\"}]";

    public static final String ANSWER_ACCEPTED = "{\"recordId\":\"r-1\",\"outcome\":\"accepted\"}";
    public static final String ANSWER_DUPLICATE = "{\"recordId\":\"r-1\",\"outcome\":\"duplicate\"}";

    public static final String PROBLEM_CONFLICT = """
            {"type":"urn:tally:problem:conflict","title":"Conflicting record","status":409,\
            "detail":"recordId r-1 was already processed with different content in: value. The stored record is \
            unchanged.","instance":"/v1/records","recordId":"r-1","differingFields":["value"],\
            "errors":[{"field":"value","message":"differs from the stored record with this recordId"}]}""";

    public static final String PROBLEM_INVALID_RECORD = """
            {"type":"urn:tally:problem:invalid-record","title":"Invalid record","status":400,\
            "detail":"time must be an ISO-8601 date-time with an offset, such as 2026-03-01T12:00:00Z or \
            2026-03-01T14:00:00+02:00; type must be exactly \\"positive\\" or \\"negative\\"; value must be \
            >= 0 (the sign is carried by type); reference is required","instance":"/v1/records",\
            "errors":[{"field":"time","message":"must be an ISO-8601 date-time with an offset, such as \
            2026-03-01T12:00:00Z or 2026-03-01T14:00:00+02:00"},\
            {"field":"type","message":"must be exactly \\"positive\\" or \\"negative\\""},\
            {"field":"value","message":"must be >= 0 (the sign is carried by type)"},\
            {"field":"reference","message":"is required"}]}""";

    public static final String PROBLEM_MALFORMED = """
            {"type":"urn:tally:problem:malformed-json","title":"Malformed JSON","status":400,\
            "detail":"The body must be one JSON object (a record)","instance":"/v1/records"}""";

    // --- POST /v1/records/batch --------------------------------------------------------------

    public static final String ARRAY = "array";
    public static final String NDJSON = "ndjson";

    public static final String BATCH_ARRAY = """
            [{"recordId":"r-2","time":"2026-03-01T13:00:00Z","sourceId":"billing","destinationId":"acct-42",\
            "type":"negative","value":"20.00","unit":"SEK","reference":"inv-2026-001"},\
            {"recordId":"r-3","time":"2026-03-02T09:30:00Z","sourceId":"payments","destinationId":"acct-7",\
            "type":"positive","value":"15000","unit":"EUR","reference":"pay-9"},\
            {"recordId":"r-4","time":"no offset"}]""";

    public static final String BATCH_NDJSON = """
            {"recordId":"r-5","time":"2026-03-03T08:00:00Z","sourceId":"billing","destinationId":"acct-42",\
            "type":"positive","value":"0.1","unit":"SEK","reference":"inv-2026-002"}
            {"recordId":"r-2","time":"2026-03-01T13:00:00Z","sourceId":"billing","destinationId":"acct-42",\
            "type":"negative","value":"20.00","unit":"SEK","reference":"inv-2026-001"}
            """;

    public static final String ANSWER_ARRAY = """
            {"accepted":2,"duplicate":0,"conflict":0,"invalid":1,"forbidden":0,"results":[\
            {"index":0,"recordId":"r-2","outcome":"accepted"},{"index":1,"recordId":"r-3","outcome":"accepted"},\
            {"index":2,"recordId":"r-4","outcome":"invalid","errors":[{"field":"time","message":"must be an \
            ISO-8601 date-time with an offset, such as 2026-03-01T12:00:00Z or 2026-03-01T14:00:00+02:00"},\
            {"field":"sourceId","message":"is required"},{"field":"destinationId","message":"is required"},\
            {"field":"type","message":"is required"},{"field":"value","message":"is required"},\
            {"field":"unit","message":"is required"},{"field":"reference","message":"is required"}]}]}""";

    public static final String ANSWER_NDJSON = """
            {"results":[{"index":0,"recordId":"r-5","outcome":"accepted"},\
            {"index":1,"recordId":"r-2","outcome":"duplicate"}],\
            "complete":true,"accepted":1,"duplicate":1,"conflict":0,"invalid":0,"forbidden":0}""";

    // --- GET /v1/records/{recordId} ----------------------------------------------------------

    public static final String STORED = """
            {"recordId":"r-1","time":"2026-03-01T12:00:00Z","sourceId":"billing","destinationId":"acct-42",\
            "type":"positive","value":125.50,"unit":"SEK","reference":"inv-2026-001"}""";

    public static final String PROBLEM_NOT_FOUND = """
            {"type":"urn:tally:problem:not-found","title":"Not found","status":404,\
            "detail":"No record with recordId r-404 was processed.","instance":"/v1/records/r-404"}""";

    // --- GET /v1/aggregations ----------------------------------------------------------------

    public static final String AGGREGATION = """
            {"from":"2026-03-01T00:00:00Z","to":"2026-04-01T00:00:00Z","type":"positive","groups":[\
            {"destinationId":"acct-42","recordCount":1,\
            "totals":[{"unit":"SEK","positive":125.50,"negative":0,"net":125.50}],\
            "records":[{"recordId":"r-1","time":"2026-03-01T12:00:00Z","sourceId":"billing",\
            "destinationId":"acct-42","type":"positive","value":125.50,"unit":"SEK","reference":"inv-2026-001"}]}]}""";

    public static final String PROBLEM_INVALID_PARAMETER = """
            {"type":"urn:tally:problem:invalid-parameter","title":"Invalid query parameter","status":400,\
            "detail":"from must be before to","instance":"/v1/aggregations",\
            "errors":[{"field":"from","message":"must be before to"}]}""";

    // --- GET /v1/notifications, /v1/alerts ---------------------------------------------------

    public static final String NOTIFICATIONS = """
            {"messages":[{"messageId":"r-1","type":"record.processed","seq":1,\
            "processedAt":"2026-03-01T12:00:00.104216Z","record":{"recordId":"r-1","time":"2026-03-01T12:00:00Z",\
            "sourceId":"billing","destinationId":"acct-42","type":"positive","value":125.50,"unit":"SEK",\
            "reference":"inv-2026-001"},"summary":{"destinationId":"acct-42","reference":"inv-2026-001",\
            "previous":{"recordCount":0,"firstTime":null,"lastTime":null,"totals":[]}}}],"next":1}""";

    public static final String ALERTS = """
            {"messages":[{"messageId":"r-3","type":"record.threshold_exceeded","seq":1,\
            "processedAt":"2026-03-02T09:30:00.312001Z","record":{"recordId":"r-3","time":"2026-03-02T09:30:00Z",\
            "sourceId":"payments","destinationId":"acct-7","type":"positive","value":15000,"unit":"EUR",\
            "reference":"pay-9"},"threshold":{"unit":"EUR","value":10000}}],"next":1}""";

    // --- shared problems ---------------------------------------------------------------------

    public static final String PROBLEM_TOO_LARGE = """
            {"type":"urn:tally:problem:too-large","title":"Content too large","status":413,\
            "detail":"A batch holds at most 10000 records (tally.ingest.max-batch); send larger sets as \
            application/x-ndjson","instance":"/v1/records/batch"}""";

    public static final String PROBLEM_UNSUPPORTED_MEDIA_TYPE = """
            {"type":"urn:tally:problem:unsupported-media-type","title":"Unsupported media type","status":415,\
            "detail":"This call does not take Content-Type text/plain; send one of: application/json. Nothing was \
            read or stored.","instance":"/v1/records"}""";

    public static final String PROBLEM_OVERLOADED = """
            {"type":"urn:tally:problem:overloaded","title":"Overloaded","status":503,\
            "detail":"The write queue is full; retry later","instance":"/v1/records"}""";

    public static final String PROBLEM_UNAVAILABLE = """
            {"type":"urn:tally:problem:unavailable","title":"Service unavailable","status":503,\
            "detail":"The database is unavailable; nothing was stored for the failed records. Retrying is safe.",\
            "instance":"/v1/aggregations"}""";

    public static final String PROBLEM_BAD_REQUEST = """
            {"type":"urn:tally:problem:bad-request","title":"Bad request","status":400,\
            "detail":"The query string is malformed (for example a parameter without a name, or an invalid \
            percent-encoding); nothing was done."}""";

    public static final String PROBLEM_URI_TOO_LONG = """
            {"type":"urn:tally:problem:uri-too-long","title":"URI too long","status":414,\
            "detail":"The request line is longer than the server accepts (server.max-http-request-header-size)."}""";

    public static final String PROBLEM_RECORD_TOO_LARGE = """
            {"type":"urn:tally:problem:too-large","title":"Content too large","status":413,\
            "detail":"The record is larger than 1048576 bytes (tally.ingest.max-record-bytes)",\
            "instance":"/v1/records"}""";

    public static final String PROBLEM_NOT_AN_ARRAY = """
            {"type":"urn:tally:problem:malformed-json","title":"Malformed JSON","status":400,\
            "detail":"The body must be a JSON array of records (or send application/x-ndjson)",\
            "instance":"/v1/records/batch"}""";

    public static final String PROBLEM_INVALID_LIMIT = """
            {"type":"urn:tally:problem:invalid-parameter","title":"Invalid query parameter","status":400,\
            "detail":"limit must be an integer from 1 to 10000","instance":"/v1/notifications",\
            "errors":[{"field":"limit","message":"must be an integer from 1 to 10000"}]}""";

    public static final String PROBLEM_UNAUTHORIZED = """
            {"type":"urn:tally:problem:unauthorized","title":"Unauthorized","status":401,\
            "detail":"This call needs a bearer token: Authorization: Bearer <JWT>.","instance":"/v1/records"}""";

    public static final String PROBLEM_INSUFFICIENT_SCOPE = """
            {"type":"urn:tally:problem:insufficient-scope","title":"Insufficient scope","status":403,\
            "detail":"This call needs a token with the scope records:write.","instance":"/v1/records"}""";

    public static final String PROBLEM_FORBIDDEN_SOURCE = """
            {"type":"urn:tally:problem:forbidden-source","title":"Source not allowed","status":403,\
            "detail":"This token may not write records of source 'payments' (claim tally_sources). Nothing was \
            stored.","instance":"/v1/records","recordId":"r-7","errors":[{"field":"sourceId","message":"this \
            token may not write records of source 'payments' (claim tally_sources)"}]}""";

    public static final String PROBLEM_INTERNAL_ERROR = """
            {"type":"urn:tally:problem:internal-error","title":"Internal error","status":500,\
            "detail":"An unexpected error occurred; it has been logged.","instance":"/v1/records"}""";
}
