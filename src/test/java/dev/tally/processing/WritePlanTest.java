package dev.tally.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tally.config.AlertProperties;
import dev.tally.record.RecordJson;
import dev.tally.record.RecordType;
import dev.tally.record.Summary;
import dev.tally.record.TallyRecord;
import dev.tally.store.OutboxRow;
import dev.tally.store.RecordStore;
import dev.tally.store.SequencerStore;
import dev.tally.store.SummaryStore;
import dev.tally.support.Api;
import dev.tally.support.Rec;
import dev.tally.support.SummaryModel;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@link WritePlan} without a database or Spring: generated histories and batches (new records,
 * duplicates spelled differently, conflicts in one or more fields, repeats inside the batch, keys
 * with and without a stored summary, many units with their own thresholds), each checked against
 * the tests' own model: outcomes and differing fields computed here field by field, seqs counted
 * here, summaries folded by {@link SummaryModel}, alerts decided by this test's thresholds.
 */
class WritePlanTest {

    private static final Instant PROCESSED_AT = Instant.parse("2026-04-01T08:00:00.123456Z");
    private static final List<String> UNITS = List.of("SEK", "EUR", "USD", "kWh", "sek");
    private static final Map<String, BigDecimal> THRESHOLDS =
            Map.of("EUR", new BigDecimal("5000"), "kWh", BigDecimal.ZERO, "sek", new BigDecimal("99.99"));
    private static final BigDecimal DEFAULT_THRESHOLD = new BigDecimal("10000");
    private static final AlertProperties ALERTS = new AlertProperties(DEFAULT_THRESHOLD, THRESHOLDS);

    @Test
    void generatedBatchesMatchTheModel() {
        for (long seed = 0; seed < 300; seed++) {
            checkAgainstModel(seed);
        }
    }

    @Test
    void aBatchOfOnlyRepeatsWritesNothing() {
        Rec stored = Rec.rec("r-1").value("10.5");
        List<TallyRecord> batch = List.of(record(stored.value("10.50")), record(stored.value("11")));
        WritePlan plan = WritePlan.of(
                batch,
                Map.of("r-1", record(stored)),
                Map.of(),
                new SequencerStore.Positions(41, 3),
                ALERTS,
                PROCESSED_AT);

        assertThat(plan.outcomes()).containsExactly(Outcome.DUPLICATE, Outcome.conflict(List.of("value")));
        assertThat(plan.writes().isEmpty()).isTrue();
        assertThat(plan.writes().outbox()).isEmpty();
        assertThat(plan.writes().end()).isEqualTo(new SequencerStore.Positions(41, 3));
        assertThat(WritePlan.summaryKeys(batch, Map.of("r-1", record(stored)))).isEmpty();
    }

    @Test
    void aRepeatInsideTheBatchIsJudgedAgainstItsFirstCopy() {
        Rec first = Rec.rec("r-1").value("20000"); // above the default threshold of 10000
        List<TallyRecord> batch = List.of(
                record(first),
                record(first.time("2026-03-01T14:00:00+02:00")),
                record(first.dest("acct-7").unit("EUR")),
                record(Rec.rec("r-2").value("1")));
        WritePlan plan =
                WritePlan.of(batch, Map.of(), Map.of(), new SequencerStore.Positions(0, 0), ALERTS, PROCESSED_AT);

        assertThat(plan.outcomes())
                .containsExactly(
                        Outcome.ACCEPTED,
                        Outcome.DUPLICATE,
                        Outcome.conflict(List.of("destinationId", "unit")),
                        Outcome.ACCEPTED);
        assertThat(plan.writes().records()).extracting(RecordStore.NewRow::seq).containsExactly(1L, 2L);
        assertThat(plan.writes().outbox())
                .extracting(OutboxRow::feed, OutboxRow::seq, OutboxRow::messageId)
                .containsExactly(tuple("alerts", 1L, "r-1"));
        assertThat(plan.writes().end()).isEqualTo(new SequencerStore.Positions(2, 1));
        // both records fold into acct-42/inv-1, which had no row: one INSERT of count 2, value 20001
        assertThat(plan.writes().summaries().updates()).isEmpty();
        assertThat(plan.writes().summaries().inserts()).hasSize(1);
        Summary folded = plan.writes().summaries().inserts().get(0).getValue();
        assertThat(folded.recordCount()).isEqualTo(2);
        assertThat(folded.totals().get(0).positive()).isEqualByComparingTo("20001");
    }

    private static void checkAgainstModel(long seed) {
        Random random = new Random(seed);
        List<Rec> history = new ArrayList<>();
        int historySize = random.nextInt(60);
        for (int i = 0; i < historySize; i++) {
            history.add(fresh(random, "h" + seed + "-" + i));
        }
        // The input the transaction would have read: the stored records and their keys' summaries.
        Map<String, TallyRecord> stored = new HashMap<>();
        Map<SummaryStore.Key, Summary> summaries = new HashMap<>();
        Map<String, SummaryModel> model = new HashMap<>();
        Map<String, Rec> known = new LinkedHashMap<>();
        for (Rec h : history) {
            TallyRecord r = record(h);
            stored.put(h.recordId(), r);
            summaries.merge(key(h), Summary.EMPTY.fold(r), (a, b) -> a.fold(r));
            model.computeIfAbsent(modelKey(h), k -> new SummaryModel()).add(h);
            known.put(h.recordId(), h);
        }
        Set<String> keysWithRow = history.stream().map(WritePlanTest::modelKey).collect(Collectors.toSet());

        List<Rec> batch = new ArrayList<>();
        int batchSize = 1 + random.nextInt(120);
        for (int i = 0; i < batchSize; i++) {
            List<Rec> earlier = new ArrayList<>(known.values());
            earlier.addAll(batch);
            int pick = random.nextInt(10);
            if (pick < 5 || earlier.isEmpty()) {
                batch.add(fresh(random, "b" + seed + "-" + i));
            } else {
                Rec original = earlier.get(random.nextInt(earlier.size()));
                batch.add(pick < 8 ? respelled(original) : changed(random, original));
            }
        }
        long startNotifications = random.nextInt(3) == 0 ? 0 : random.nextInt(1_000_000);
        long startAlerts = random.nextInt(3) == 0 ? 0 : random.nextInt(1_000);

        List<TallyRecord> input = batch.stream().map(WritePlanTest::record).toList();
        WritePlan plan = WritePlan.of(
                input,
                stored,
                summaries,
                new SequencerStore.Positions(startNotifications, startAlerts),
                ALERTS,
                PROCESSED_AT);

        String context = "seed " + seed;
        assertThat(plan.outcomes()).as(context).hasSize(batch.size());
        assertThat(WritePlan.recordIds(input))
                .as(context)
                .containsExactlyElementsOf(
                        batch.stream().map(Rec::recordId).distinct().toList());
        List<Rec> accepted = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Rec r = batch.get(i);
            Rec first = known.putIfAbsent(r.recordId(), r);
            Outcome expected = first == null
                    ? Outcome.ACCEPTED
                    : differing(r, first).isEmpty() ? Outcome.DUPLICATE : Outcome.conflict(differing(r, first));
            assertThat(plan.outcomes().get(i)).as("%s item %d", context, i).isEqualTo(expected);
            if (first == null) {
                accepted.add(r);
            }
        }
        assertThat(WritePlan.summaryKeys(input, stored))
                .as(context)
                .containsExactlyInAnyOrderElementsOf(
                        accepted.stream().map(WritePlanTest::key).distinct().toList());

        List<RecordStore.NewRow> rows = plan.writes().records();
        List<OutboxRow> alerts = plan.writes().outbox();
        assertThat(rows).as(context).hasSize(accepted.size());
        assertThat(alerts).as(context).allMatch(m -> m.feed().equals("alerts"));
        long notificationSeq = startNotifications;
        long alertSeq = startAlerts;
        int alertIndex = 0;
        for (int i = 0; i < accepted.size(); i++) {
            Rec r = accepted.get(i);
            String at = context + " accepted " + r.recordId();
            notificationSeq++;
            assertThat(rows.get(i).seq()).as(at).isEqualTo(notificationSeq);
            assertThat(rows.get(i).record()).as(at).isEqualTo(record(r));
            SummaryModel before = model.computeIfAbsent(modelKey(r), k -> new SummaryModel());
            before.assertMatches(Api.JSON.readTree(rows.get(i).summaryPrevious()), at);
            before.add(r);
            BigDecimal threshold = THRESHOLDS.getOrDefault(r.unit(), DEFAULT_THRESHOLD);
            if (r.value().compareTo(threshold) > 0) {
                alertSeq++;
                OutboxRow a = alerts.get(alertIndex++);
                assertThat(a.seq()).as(at).isEqualTo(alertSeq);
                assertThat(a.messageId()).as(at).isEqualTo(r.recordId());
                JsonNode payload = Api.JSON.readTree(a.payload());
                assertThat(payload.get("type").asString()).isEqualTo("record.threshold_exceeded");
                assertThat(payload.get("seq").asLong()).isEqualTo(alertSeq);
                assertThat(Instant.parse(payload.get("processedAt").asString())).isEqualTo(PROCESSED_AT);
                assertThat(payload.get("threshold").get("unit").asString()).isEqualTo(r.unit());
                assertThat(payload.get("threshold").get("value").decimalValue()).isEqualByComparingTo(threshold);
            }
        }
        assertThat(alertIndex).as(context).isEqualTo(alerts.size());
        assertThat(plan.writes().end()).as(context).isEqualTo(new SequencerStore.Positions(notificationSeq, alertSeq));
        assertThat(plan.writes().isEmpty()).as(context).isEqualTo(accepted.isEmpty());

        // Every key an accepted record folded into, once, with the model's final state: an UPDATE
        // where the key had a row, an INSERT where it had none; no other key.
        Set<String> touched = accepted.stream().map(WritePlanTest::modelKey).collect(Collectors.toSet());
        Map<String, Summary> updates = byModelKey(plan.writes().summaries().updates());
        Map<String, Summary> inserts = byModelKey(plan.writes().summaries().inserts());
        assertThat(updates.keySet())
                .as(context)
                .isEqualTo(touched.stream().filter(keysWithRow::contains).collect(Collectors.toSet()));
        assertThat(inserts.keySet())
                .as(context)
                .isEqualTo(
                        touched.stream().filter(k -> !keysWithRow.contains(k)).collect(Collectors.toSet()));
        Map<String, Summary> all = new HashMap<>(updates);
        all.putAll(inserts);
        all.forEach((k, s) -> model.get(k)
                .assertMatches(Api.JSON.readTree(RecordJson.summaryJson(s)), context + " new summary " + k));
    }

    /** The fields that differ, in SPEC order, compared the way SPEC §3 says: time as an instant, value numerically. */
    private static List<String> differing(Rec a, Rec b) {
        List<String> fields = new ArrayList<>();
        if (!a.instant().equals(b.instant())) {
            fields.add("time");
        }
        if (!a.sourceId().equals(b.sourceId())) {
            fields.add("sourceId");
        }
        if (!a.destinationId().equals(b.destinationId())) {
            fields.add("destinationId");
        }
        if (!a.type().equals(b.type())) {
            fields.add("type");
        }
        if (a.value().compareTo(b.value()) != 0) {
            fields.add("value");
        }
        if (!a.unit().equals(b.unit())) {
            fields.add("unit");
        }
        if (!a.reference().equals(b.reference())) {
            fields.add("reference");
        }
        return fields;
    }

    /** Few destinations and references, so that keys repeat within and across batches. */
    private static Rec fresh(Random random, String id) {
        Instant time = Instant.parse("2026-03-01T00:00:00Z")
                .plusSeconds(random.nextInt(30 * 86_400))
                .plusNanos(random.nextInt(1000) * 1000L);
        return Rec.rec(id)
                .time(time.toString())
                .source("src-" + random.nextInt(2))
                .dest("acct-" + random.nextInt(6))
                .ref("inv-" + random.nextInt(3))
                .type(random.nextInt(3) == 0 ? "negative" : "positive")
                .value(BigDecimal.valueOf(random.nextInt(1_500_000), random.nextInt(4))
                        .toPlainString())
                .unit(UNITS.get(random.nextInt(UNITS.size())));
    }

    /** The same content spelled differently: the time at +02:00 and the value with a trailing zero. */
    private static Rec respelled(Rec r) {
        String value = r.value().scale() > 0
                ? r.value().toPlainString() + "0"
                : r.value().toPlainString() + ".0";
        return r.time(r.instant().atOffset(ZoneOffset.ofHours(2)).toString()).number(value);
    }

    /** The same recordId with one or two fields changed. */
    private static Rec changed(Random random, Rec r) {
        Rec out = r;
        int changes = 1 + random.nextInt(2);
        for (int c = 0; c < changes; c++) {
            out = switch (random.nextInt(7)) {
                case 0 -> out.time(out.instant().plusNanos(1000).toString());
                case 1 -> out.source(out.sourceId() + "x");
                case 2 -> out.dest(out.destinationId() + "x");
                case 3 -> out.type("negative".equals(out.type()) ? "positive" : "negative");
                case 4 -> out.value(out.value().add(new BigDecimal("0.01")).toPlainString());
                case 5 -> out.unit(out.unit() + "x");
                default -> out.ref(out.reference() + "x");
            };
        }
        return out;
    }

    private static TallyRecord record(Rec r) {
        return new TallyRecord(
                r.recordId(),
                r.instant(),
                r.sourceId(),
                r.destinationId(),
                RecordType.fromWire(r.type()),
                r.value(),
                r.unit(),
                r.reference());
    }

    private static SummaryStore.Key key(Rec r) {
        return new SummaryStore.Key(r.destinationId(), r.reference());
    }

    private static String modelKey(Rec r) {
        return r.destinationId() + "\u0000" + r.reference();
    }

    private static Map<String, Summary> byModelKey(List<Map.Entry<SummaryStore.Key, Summary>> entries) {
        Map<String, Summary> out = new HashMap<>();
        for (Map.Entry<SummaryStore.Key, Summary> e : entries) {
            Summary before =
                    out.put(e.getKey().destinationId() + "\u0000" + e.getKey().reference(), e.getValue());
            assertThat(before).as("key %s written once", e.getKey()).isNull();
        }
        return out;
    }
}
