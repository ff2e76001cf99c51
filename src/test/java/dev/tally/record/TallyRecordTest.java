package dev.tally.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@link TallyRecord#differingFields}: what makes a repeat a duplicate or a conflict (SPEC §3.1). */
class TallyRecordTest {

    private static final TallyRecord BASE = new TallyRecord(
            "r-1",
            Instant.parse("2026-03-01T12:00:00Z"),
            "billing",
            "acct-42",
            RecordType.POSITIVE,
            new BigDecimal("10.50"),
            "SEK",
            "inv-1");

    @Test
    void theSameContentDiffersInNothing() {
        assertThat(BASE.differingFields(copy(BASE))).isEmpty();
    }

    @Test
    void valuesAreComparedNumerically() {
        assertThat(BASE.differingFields(with(BASE, "value", "10.5"))).isEmpty();
        assertThat(BASE.differingFields(with(BASE, "value", "10.500000"))).isEmpty();
        assertThat(BASE.differingFields(with(BASE, "value", "10.51"))).containsExactly("value");
    }

    @Test
    void timesAreComparedAsInstants() {
        TallyRecord sameInstant = new TallyRecord(
                "r-1",
                java.time.OffsetDateTime.parse("2026-03-01T14:00:00+02:00").toInstant(),
                "billing",
                "acct-42",
                RecordType.POSITIVE,
                new BigDecimal("10.50"),
                "SEK",
                "inv-1");
        assertThat(BASE.differingFields(sameInstant)).isEmpty();

        TallyRecord oneMicroLater = new TallyRecord(
                "r-1",
                Instant.parse("2026-03-01T12:00:00.000001Z"),
                "billing",
                "acct-42",
                RecordType.POSITIVE,
                new BigDecimal("10.50"),
                "SEK",
                "inv-1");
        assertThat(BASE.differingFields(oneMicroLater)).containsExactly("time");
    }

    @Test
    void eachFieldIsNamedWhenItAloneDiffers() {
        assertThat(BASE.differingFields(with(BASE, "sourceId", "payments"))).containsExactly("sourceId");
        assertThat(BASE.differingFields(with(BASE, "destinationId", "acct-43"))).containsExactly("destinationId");
        assertThat(BASE.differingFields(with(BASE, "type", "negative"))).containsExactly("type");
        assertThat(BASE.differingFields(with(BASE, "unit", "EUR"))).containsExactly("unit");
        assertThat(BASE.differingFields(with(BASE, "reference", "inv-2"))).containsExactly("reference");
    }

    @Test
    void textFieldsAreComparedExactlyIncludingCase() {
        assertThat(BASE.differingFields(with(BASE, "unit", "sek"))).containsExactly("unit");
        assertThat(BASE.differingFields(with(BASE, "reference", "INV-1"))).containsExactly("reference");
        assertThat(BASE.differingFields(with(BASE, "sourceId", "billing "))).containsExactly("sourceId");
    }

    @Test
    void severalDifferingFieldsAreListedInSpecOrder() {
        TallyRecord other = new TallyRecord(
                "r-1",
                Instant.parse("2026-03-02T12:00:00Z"),
                "billing",
                "acct-42",
                RecordType.NEGATIVE,
                new BigDecimal("11"),
                "EUR",
                "inv-1");
        assertThat(BASE.differingFields(other)).containsExactly("time", "type", "value", "unit");
        assertThat(other.differingFields(BASE)).containsExactly("time", "type", "value", "unit");
    }

    @Test
    void theSignedValueCarriesTheType() {
        assertThat(BASE.signedValue()).isEqualTo(new BigDecimal("10.50"));
        assertThat(with(BASE, "type", "negative").signedValue()).isEqualTo(new BigDecimal("-10.50"));
    }

    @Test
    void aNegativeValueOrMissingFieldCannotBeBuilt() {
        assertThatThrownBy(() -> with(BASE, "value", "-1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() ->
                        new TallyRecord(null, BASE.time(), "s", "d", RecordType.POSITIVE, BigDecimal.ONE, "SEK", "ref"))
                .isInstanceOf(NullPointerException.class);
    }

    private static TallyRecord copy(TallyRecord r) {
        return new TallyRecord(
                r.recordId(), r.time(), r.sourceId(), r.destinationId(), r.type(), r.value(), r.unit(), r.reference());
    }

    private static TallyRecord with(TallyRecord r, String field, String v) {
        return new TallyRecord(
                r.recordId(),
                r.time(),
                field.equals("sourceId") ? v : r.sourceId(),
                field.equals("destinationId") ? v : r.destinationId(),
                field.equals("type") ? RecordType.fromWire(v) : r.type(),
                field.equals("value") ? new BigDecimal(v) : r.value(),
                field.equals("unit") ? v : r.unit(),
                field.equals("reference") ? v : r.reference());
    }
}
