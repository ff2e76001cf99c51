package dev.tally.bench;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The feed poller's requests: how many, how long, and the slow ones (over 50 ms) by second. */
final class PollTimes {
    private long count;
    private long totalNs;
    private long maxNs;
    private final Map<Long, Integer> slowBySecond = new TreeMap<>();

    /** Called by the poller thread only; read after it has been joined. */
    void add(long startSinceT0Ns, long ns) {
        count++;
        totalNs += ns;
        maxNs = Math.max(maxNs, ns);
        if (ns > 50_000_000L) {
            slowBySecond.merge(Math.floorDiv(startSinceT0Ns, 1_000_000_000L), 1, Integer::sum);
        }
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "%,d polls, mean %.1f ms, max %.0f ms, over 50 ms by second: %s",
                count,
                count == 0 ? 0 : totalNs / 1e6 / count,
                maxNs / 1e6,
                slowBySecond.isEmpty() ? "none" : slowBySecond);
    }
}
