package dev.tally.outbox;

import dev.tally.config.KafkaEnabled;
import dev.tally.config.TallyKafkaProperties;
import dev.tally.store.RelayPositionTable;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;

/**
 * The operator's handle on the relay, {@code /actuator/relay} (exposed by
 * {@code management.endpoints.web.exposure.include}):
 * <ul>
 *   <li>{@code GET /actuator/relay}: each feed's state, as in the {@code relay} health component;
 *   <li>{@code POST /actuator/relay/{feed}/resume}: resumes a stalled feed. The feed's publisher
 *       (on whichever instance holds its lock) then continues after the database's copy of the
 *       position: messages published after it before the restore are published again, and
 *       consumers drop them by messageId. Answers 200 once the publisher has resumed, 202 if it
 *       has not within the relay's request timeout (no publisher yet; it resumes when it starts),
 *       409 if the feed is not stalled, 400 for an unknown feed or action.
 * </ul>
 * The request is written to the database, so any instance can take it.
 */
@Component
@Endpoint(id = "relay")
@Conditional(KafkaEnabled.class)
class RelayEndpoint {

    private static final long POLL_MS = 100;

    private final OutboxRelay relay;
    private final RelayPositionTable positions;
    private final TallyKafkaProperties kafka;
    private final Clock clock;

    RelayEndpoint(OutboxRelay relay, RelayPositionTable positions, TallyKafkaProperties kafka, Clock clock) {
        this.relay = relay;
        this.positions = positions;
        this.kafka = kafka;
        this.clock = clock;
    }

    @ReadOperation
    public Map<String, Object> feeds() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (RelayMonitor.FeedStatus s : relay.status()) {
            Map<String, Object> feed = new LinkedHashMap<>();
            feed.put("topic", s.topic());
            feed.put("leader", s.leader());
            feed.put("stalled", s.stalled());
            feed.put("lastSeq", s.lastSeq());
            if (s.database() != null) {
                feed.put("publishedSeq", s.database().publishedSeq());
                feed.put("stalledPosition", s.database().stalledPosition());
            }
            out.put(s.feed().column(), feed);
        }
        return out;
    }

    @WriteOperation
    public WebEndpointResponse<Map<String, Object>> resume(@Selector String feed, @Selector String action)
            throws InterruptedException {
        Feed f = feed(feed);
        if (f == null || !"resume".equals(action)) {
            return response(400, Map.of("error", "use POST /actuator/relay/{notifications|alerts}/resume"));
        }
        RelayPositionTable.Row before = positions.row(f.column());
        if (!positions.requestResume(f.column(), clock.instant())) {
            return response(409, Map.of("feed", f.column(), "error", "not stalled"));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("feed", f.column());
        body.put("topic", relay.topicOf(f));
        body.put("stalledPosition", before.stalledPosition());
        body.put("resumedAfter", before.publishedSeq());
        long deadline = System.nanoTime() + kafka.relay().requestTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            if (!positions.row(f.column()).stalled()) {
                body.put("resumed", true);
                return response(200, body);
            }
            Thread.sleep(POLL_MS);
        }
        body.put("resumed", false);
        body.put("note", "requested; the feed's publisher resumes when it next checks (see GET /actuator/relay)");
        return response(202, body);
    }

    private static Feed feed(String name) {
        for (Feed f : Feed.values()) {
            if (f.column().equals(name)) {
                return f;
            }
        }
        return null;
    }

    private static WebEndpointResponse<Map<String, Object>> response(int status, Map<String, Object> body) {
        return new WebEndpointResponse<>(body, status);
    }
}
