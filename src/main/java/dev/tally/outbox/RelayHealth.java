package dev.tally.outbox;

import dev.tally.config.KafkaEnabled;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;

/**
 * The {@code relay} health component: OUT_OF_SERVICE while a feed is stalled (Kafka's position is
 * not in this database; see {@link RelayStart}), with both numbers and the command that resumes it.
 * Deliberately NOT in the readiness group: the instance still accepts records and serves the feeds,
 * and taking every instance out of the load balancer would turn a publishing stop into an outage.
 * Overall {@code /actuator/health} shows it, which is what monitoring alerts on. Every instance
 * reports it (the stall is kept in the database), not only the feed's publisher.
 */
@Component("relay")
@Conditional(KafkaEnabled.class)
class RelayHealth implements HealthIndicator {

    private final OutboxRelay relay;

    RelayHealth(OutboxRelay relay) {
        this.relay = relay;
    }

    @Override
    public Health health() {
        boolean stalled = false;
        Map<String, Object> details = new LinkedHashMap<>();
        for (RelayMonitor.FeedStatus s : relay.status()) {
            Map<String, Object> feed = new LinkedHashMap<>();
            feed.put("topic", s.topic());
            feed.put("leader", s.leader());
            if (s.database() == null) {
                feed.put("state", "starting");
            } else if (s.stalled()) {
                stalled = true;
                feed.put("state", "stalled");
                feed.put("publishedPosition", s.database().stalledPosition());
                feed.put("lastSeq", s.lastSeq());
                feed.put("resumeAfter", s.database().publishedSeq());
                feed.put("resumeRequested", s.database().resumeRequested());
                feed.put("resume", "POST /actuator/relay/" + s.feed().column() + "/resume");
            } else {
                feed.put("state", "publishing");
                feed.put("publishedSeq", s.database().publishedSeq());
                feed.put("lastSeq", s.lastSeq());
            }
            details.put(s.feed().column(), feed);
        }
        return Health.status(stalled ? Status.OUT_OF_SERVICE : Status.UP)
                .withDetails(details)
                .build();
    }
}
