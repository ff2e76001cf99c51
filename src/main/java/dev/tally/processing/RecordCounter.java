package dev.tally.processing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * {@code tally.records.processed{outcome, channel}}: every record that got an outcome, counted once
 * per outcome given. Processing counts the three outcomes of a commit; the edges count the two
 * refusals that never reach processing ({@code invalid}, {@code forbidden}), so one counter covers
 * every item a client or topic sent.
 */
@Component
public class RecordCounter {

    /** The refusals of the edges, by their wire names. */
    public static final List<String> REFUSALS = List.of("invalid", "forbidden");

    private final Map<Channel, Map<String, Counter>> counters = new EnumMap<>(Channel.class);

    public RecordCounter(MeterRegistry meters) {
        for (Channel channel : Channel.values()) {
            Map<String, Counter> byOutcome = new HashMap<>();
            for (Outcome.Kind kind : Outcome.Kind.values()) {
                byOutcome.put(kind.wire(), register(meters, channel, kind.wire()));
            }
            for (String refusal : REFUSALS) {
                byOutcome.put(refusal, register(meters, channel, refusal));
            }
            counters.put(channel, byOutcome);
        }
    }

    private static Counter register(MeterRegistry meters, Channel channel, String outcome) {
        return Counter.builder("tally.records.processed")
                .description("Records given an outcome, by outcome (accepted, duplicate, conflict, invalid, "
                        + "forbidden) and channel (http, kafka)")
                .tag("outcome", outcome)
                .tag("channel", channel.tag())
                .register(meters);
    }

    void count(Channel channel, Outcome.Kind kind) {
        counters.get(channel).get(kind.wire()).increment();
    }

    /** Counts {@code n} items that the edge refused ({@link #REFUSALS}); nothing for {@code n = 0}. */
    public void refused(Channel channel, String refusal, long n) {
        Counter c = counters.get(channel).get(refusal);
        if (c == null || !REFUSALS.contains(refusal)) {
            throw new IllegalArgumentException("not a refusal: " + refusal);
        }
        if (n > 0) {
            c.increment(n);
        }
    }
}
