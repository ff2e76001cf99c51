package dev.tally.support;

import java.util.List;

/** Bodies that are not one JSON object, for the single-record endpoint: the slice and the ITs share them. */
public final class MalformedBodies {

    private MalformedBodies() {}

    /** For {@code @MethodSource("dev.tally.support.MalformedBodies#singleRecord")}. */
    public static List<String> singleRecord() {
        return List.of(
                "{\"recordId\":\"bad-1\",", // truncated
                "not json",
                "", // empty body
                "null",
                "42",
                "\"a string\"",
                "[{\"recordId\":\"bad-1\"}]", // an array to the single-record endpoint
                "{\"recordId\":\"bad-1\"} {\"recordId\":\"bad-2\"}", // more than one object
                "{\"recordId\":\"bad-1\",\"value\":01}", // leading zero: not JSON
                "{\"recordId\":\"bad-1\",\"value\":NaN}", // not JSON
                "{\"recordId\":'bad-1'}", // single quotes: not JSON
                "{recordId:\"bad-1\"}"); // unquoted name: not JSON
    }
}
