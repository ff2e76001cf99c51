package dev.tally.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.processing.Outcome;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The wire names of a batch item's outcome, and the order of the batch's counts, are the API's. */
class ItemOutcomeTest {

    @Test
    void wireNamesInCountOrder() {
        assertThat(Arrays.stream(ItemOutcome.values()).map(ItemOutcome::wire))
                .containsExactly("accepted", "duplicate", "conflict", "invalid", "forbidden");
    }

    @Test
    void everyProcessingOutcomeHasItsItemOutcome() {
        assertThat(ItemOutcome.of(Outcome.Kind.ACCEPTED)).isEqualTo(ItemOutcome.ACCEPTED);
        assertThat(ItemOutcome.of(Outcome.Kind.DUPLICATE)).isEqualTo(ItemOutcome.DUPLICATE);
        assertThat(ItemOutcome.of(Outcome.Kind.CONFLICT)).isEqualTo(ItemOutcome.CONFLICT);
    }
}
