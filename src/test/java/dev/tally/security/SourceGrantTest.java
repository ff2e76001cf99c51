package dev.tally.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code tally_sources} claim as the JSON parser hands it over. */
class SourceGrantTest {

    @Test
    void aListGrantsExactlyItsSources() {
        SourceGrant g = SourceGrant.fromClaim(List.of("billing", "refunds"));

        assertThat(g.permits("billing")).isTrue();
        assertThat(g.permits("refunds")).isTrue();
        assertThat(g.permits("Billing")).isFalse();
        assertThat(g.permits("payments")).isFalse();
        assertThat(g.permits("*")).isFalse();
    }

    @Test
    void aStarGrantsEverySourceAlsoBesideOthersOrAsOneString() {
        for (Object claim : List.of(List.of("*"), List.of("billing", "*"), "*")) {
            assertThat(SourceGrant.fromClaim(claim)).as("%s", claim).isEqualTo(SourceGrant.ALL);
        }
        assertThat(SourceGrant.fromClaim("billing").permits("billing")).isTrue();
        assertThat(SourceGrant.fromClaim("billing").permits("payments")).isFalse();
    }

    @Test
    void noClaimOrOneOfAnotherShapeGrantsNothing() {
        for (Object claim : new Object[] {null, List.of(), 42, Map.of("billing", true), List.of("billing", 7)}) {
            SourceGrant g = SourceGrant.fromClaim(claim);
            assertThat(g.permits("billing")).as("%s", claim).isFalse();
            assertThat(g.all()).isFalse();
        }
    }

    @Test
    void aGrantOfEverySourceListsNone() {
        assertThatThrownBy(() -> new SourceGrant(true, java.util.Set.of("billing")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
