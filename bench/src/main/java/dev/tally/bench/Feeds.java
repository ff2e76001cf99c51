package dev.tally.bench;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The service's HTTP feeds as the verification reads them: one notification per accepted record,
 * an alert for each one above the threshold, gapless seqs, nothing repeated or unexpected.
 */
final class Feeds {

    static final String NOTIFICATIONS = "notifications";
    static final String ALERTS = "alerts";
    private static final int PAGE = 10_000;

    /** Where a scenario's messages start: the feeds' last seqs before it. */
    record Start(long notifications, long alerts) {}

    private final Http http;
    /** The last seq seen at the end of each feed, so that {@link #lastSeq} need not read it all again. */
    private final Map<String, Long> feedEnd = new HashMap<>();

    Feeds(Http http) {
        this.http = http;
    }

    Start start() throws IOException, InterruptedException {
        return new Start(lastSeq(NOTIFICATIONS), lastSeq(ALERTS));
    }

    /**
     * The feed's last seq, read from the last position this bench saw (seqs are gapless and the
     * feed only grows). Reading from 0 each time re-rendered every earlier message just before
     * each scenario (~200,000 after the batch scenario, twice before the steady run: ~10 s of
     * service and database work that the steady scenario's first seconds still paid for).
     */
    long lastSeq(String feed) throws IOException, InterruptedException {
        long after = feedEnd.getOrDefault(feed, 0L);
        while (true) {
            Http.Page p = http.feed(feed, after, PAGE);
            if (p.messages().isEmpty()) {
                feedEnd.put(feed, after);
                return after;
            }
            after = p.next();
        }
    }

    /** Both feeds after {@code start} hold exactly the scenario's expected messages. */
    boolean verify(Expectation.Scenario expected, Start start) throws IOException, InterruptedException {
        boolean n = verify(NOTIFICATIONS, start.notifications(), expected.notificationIds);
        boolean a = verify(ALERTS, start.alerts(), expected.alertIds);
        return n && a;
    }

    private boolean verify(String feed, long after, Set<String> expectedIds) throws IOException, InterruptedException {
        Check check = new Check(feed, after, expectedIds);
        while (true) {
            Http.Page p = http.feed(feed, check.seq, PAGE);
            if (p.messages().isEmpty()) {
                break;
            }
            p.messages().forEach(check::take);
        }
        feedEnd.put(feed, check.seq);
        return check.done();
    }

    /** One feed's verification, message by message; at most three problems are printed in detail. */
    private static final class Check {
        private final String feed;
        private final Set<String> expectedIds;
        private final Set<String> seen;
        private long seq;
        private int problems;

        Check(String feed, long after, Set<String> expectedIds) {
            this.feed = feed;
            this.expectedIds = expectedIds;
            this.seen = new HashSet<>(expectedIds.size() * 2);
            this.seq = after;
        }

        void take(Http.Message m) {
            if (m.seq() != seq + 1 && problems++ < 3) {
                System.out.printf("  FAIL: %s seq %d after %d (gap)%n", feed, m.seq(), seq);
            }
            seq = m.seq();
            if (!seen.add(m.messageId()) && problems++ < 3) {
                System.out.println("  FAIL: " + feed + " repeats " + m.messageId());
            }
            if (!expectedIds.contains(m.messageId()) && problems++ < 3) {
                System.out.println("  FAIL: unexpected " + feed + " message " + m.messageId());
            }
        }

        boolean done() {
            if (seen.size() != expectedIds.size()) {
                System.out.printf("  FAIL: %s: %d messages, expected %d%n", feed, seen.size(), expectedIds.size());
                problems++;
            }
            System.out.printf(
                    Locale.ROOT, "  verify %s: %s (%,d messages)%n", feed, Report.verdict(problems == 0), seen.size());
            return problems == 0;
        }
    }
}
