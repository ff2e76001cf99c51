package dev.tally.security;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The sourceIds a caller may write: from a token's {@code tally_sources} claim, or a Kafka topic's
 * {@code tally.kafka.topics.sources.<topic>}. {@code "*"} grants every source. Pure value: the
 * ingest edge asks it about each valid record and answers {@code forbidden} (HTTP) or dead-letters
 * the message (Kafka) when it says no; nothing of such a record is stored.
 */
public record SourceGrant(boolean all, Set<String> sourceIds) {

    /** The name of the JWT claim. */
    public static final String CLAIM = "tally_sources";

    public static final String ANY = "*";

    /** Every source: security off, or a topic without a configured list. */
    public static final SourceGrant ALL = new SourceGrant(true, Set.of());
    /** No source: a token without the claim (or with one that is not a list of strings). */
    public static final SourceGrant NONE = new SourceGrant(false, Set.of());

    public SourceGrant {
        sourceIds = Set.copyOf(sourceIds);
        if (all && !sourceIds.isEmpty()) {
            throw new IllegalArgumentException("a grant of every source lists none");
        }
    }

    /** The listed sourceIds, or every source if the list holds {@code "*"}. */
    public static SourceGrant of(Collection<String> sourceIds) {
        return sourceIds.contains(ANY) ? ALL : new SourceGrant(false, Set.copyOf(sourceIds));
    }

    /**
     * From the claim's JSON value: an array of strings, or one string (a single sourceId, or
     * {@code "*"}). Anything else, or no claim, grants nothing: a writer's token must say what it
     * may write.
     */
    public static SourceGrant fromClaim(Object claim) {
        if (claim instanceof String one) {
            return of(List.of(one));
        }
        if (claim instanceof Collection<?> many && many.stream().allMatch(String.class::isInstance)) {
            return of(many.stream().map(String.class::cast).toList());
        }
        return NONE;
    }

    public boolean permits(String sourceId) {
        return all || sourceIds.contains(sourceId);
    }
}
