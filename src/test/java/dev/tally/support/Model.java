package dev.tally.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import tools.jackson.databind.JsonNode;

/**
 * The tests' own model of Tally: records generated here (as {@link Rec}, the one record fixture),
 * and the expected notifications, alerts and summaries computed here from the records alone, by
 * hand-written folding. Never calls the production code it checks.
 */
public final class Model {

    private Model() {}

    /** {@code n} distinct records over 40 destinations × 4 references, units SEK and EUR, values 0–15000. */
    public static List<Rec> generate(int n, String idPrefix, long seed) {
        Random random = new Random(seed);
        Instant base = Instant.parse("2026-03-01T00:00:00Z");
        List<Rec> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String dest = "acct-" + random.nextInt(40);
            String ref = "inv-" + random.nextInt(4);
            String type = random.nextInt(3) == 0 ? "negative" : "positive";
            BigDecimal value = BigDecimal.valueOf(random.nextInt(1_500_000), 2);
            String unit = random.nextBoolean() ? "SEK" : "EUR";
            Instant time = base.plusSeconds(random.nextInt(30 * 86_400)).plusNanos(random.nextInt(1000) * 1000L);
            out.add(Rec.rec(idPrefix + i)
                    .time(time)
                    .dest(dest)
                    .type(type)
                    .value(value)
                    .unit(unit)
                    .ref(ref));
        }
        return out;
    }

    /** Alert thresholds used by the Kafka tests: {@code tally.alerts.thresholds.EUR=5000}, default 10000. */
    public static final Map<String, BigDecimal> THRESHOLDS = Map.of("EUR", new BigDecimal("5000"));

    public static final BigDecimal DEFAULT_THRESHOLD = new BigDecimal("10000");

    public static boolean alerts(Rec r) {
        return r.value().compareTo(THRESHOLDS.getOrDefault(r.unit(), DEFAULT_THRESHOLD)) > 0;
    }

    public static String header(ConsumerRecord<String, String> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /**
     * Checks a topic of Tally messages against the records expected on it: exactly one message per
     * record (by messageId), seqs exactly 1..n, key = destinationId, headers = payload, the record
     * content as sent, and per destination the seq order within the partition.
     *
     * @return the payloads by messageId
     */
    public static Map<String, JsonNode> checkExactlyOnce(
            List<ConsumerRecord<String, String>> topic, Map<String, Rec> expected, String type) {
        Map<String, JsonNode> byId = new HashMap<>();
        List<String> repeated = new ArrayList<>();
        Set<Long> seqs = new HashSet<>();
        Map<String, Long> lastSeqPerKey = new HashMap<>();
        Map<String, Integer> partitionPerKey = new HashMap<>();
        for (ConsumerRecord<String, String> r : topic) {
            JsonNode m = Api.JSON.readTree(r.value());
            String id = m.get("messageId").asString();
            if (byId.put(id, m) != null) {
                repeated.add(id);
            }
            assertThat(header(r, "messageId")).isEqualTo(id);
            assertThat(header(r, "type")).isEqualTo(type);
            assertThat(m.get("type").asString()).isEqualTo(type);
            long seq = m.get("seq").asLong();
            assertThat(seqs.add(seq)).as("seq %d once", seq).isTrue();
            assertThat(r.key()).isEqualTo(m.get("record").get("destinationId").asString());
            Integer partition = partitionPerKey.putIfAbsent(r.key(), r.partition());
            assertThat(partition == null || partition == r.partition())
                    .as("one partition per destination")
                    .isTrue();
            Long previous = lastSeqPerKey.put(r.key(), seq);
            assertThat(previous == null || previous < seq)
                    .as("destination %s: seq %d after %s", r.key(), seq, previous)
                    .isTrue();
        }
        assertThat(repeated).as("messageIds seen twice").isEmpty();
        assertThat(byId.keySet()).isEqualTo(expected.keySet());
        assertThat(seqs).hasSize(expected.size());
        assertThat(seqs.stream().mapToLong(Long::longValue).max().orElse(0)).isEqualTo(expected.size());
        for (Map.Entry<String, JsonNode> e : byId.entrySet()) {
            Rec want = expected.get(e.getKey());
            JsonNode rec = e.getValue().get("record");
            assertThat(Instant.parse(rec.get("time").asString())).isEqualTo(want.instant());
            assertThat(rec.get("value").decimalValue()).isEqualByComparingTo(want.value());
            assertThat(rec.get("type").asString()).isEqualTo(want.type());
            assertThat(rec.get("unit").asString()).isEqualTo(want.unit());
            assertThat(rec.get("reference").asString()).isEqualTo(want.reference());
        }
        return byId;
    }

    /**
     * Checks every notification's {@code summary.previous} against a fold, done here, of the
     * records of its (destinationId, reference) with a lower seq.
     */
    public static void checkSummaries(Map<String, JsonNode> notifications, Map<String, Rec> records) {
        Map<String, List<JsonNode>> byKey = new HashMap<>();
        for (JsonNode n : notifications.values()) {
            JsonNode s = n.get("summary");
            byKey.computeIfAbsent(
                            s.get("destinationId").asString() + "\u0000"
                                    + s.get("reference").asString(),
                            k -> new ArrayList<>())
                    .add(n);
        }
        for (List<JsonNode> group : byKey.values()) {
            group.sort(Comparator.comparingLong(n -> n.get("seq").asLong()));
            int count = 0;
            Instant first = null;
            Instant last = null;
            Map<String, BigDecimal[]> totals = new TreeMap<>();
            for (JsonNode n : group) {
                JsonNode prev = n.get("summary").get("previous");
                assertThat(prev.get("recordCount").asLong()).isEqualTo(count);
                if (count == 0) {
                    assertThat(prev.get("firstTime").isNull()).isTrue();
                    assertThat(prev.get("totals").size()).isZero();
                } else {
                    assertThat(Instant.parse(prev.get("firstTime").asString())).isEqualTo(first);
                    assertThat(Instant.parse(prev.get("lastTime").asString())).isEqualTo(last);
                    Map<String, BigDecimal[]> got = new TreeMap<>();
                    for (JsonNode t : prev.get("totals")) {
                        got.put(t.get("unit").asString(), new BigDecimal[] {
                            t.get("positive").decimalValue(),
                            t.get("negative").decimalValue(),
                            t.get("net").decimalValue()
                        });
                    }
                    assertThat(got.keySet()).isEqualTo(totals.keySet());
                    for (String unit : totals.keySet()) {
                        BigDecimal[] want = totals.get(unit);
                        BigDecimal[] have = got.get(unit);
                        assertThat(have[0]).isEqualByComparingTo(want[0]);
                        assertThat(have[1]).isEqualByComparingTo(want[1]);
                        assertThat(have[2]).isEqualByComparingTo(want[0].subtract(want[1]));
                    }
                }
                Rec r = records.get(n.get("messageId").asString());
                count++;
                first = first == null || r.instant().isBefore(first) ? r.instant() : first;
                last = last == null || r.instant().isAfter(last) ? r.instant() : last;
                BigDecimal[] t =
                        totals.computeIfAbsent(r.unit(), u -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
                if ("positive".equals(r.type())) {
                    t[0] = t[0].add(r.value());
                } else {
                    t[1] = t[1].add(r.value());
                }
            }
        }
    }

    /** The records expected to alert, by id. */
    public static Map<String, Rec> alerting(Collection<Rec> records) {
        Map<String, Rec> out = new LinkedHashMap<>();
        for (Rec r : records) {
            if (alerts(r)) {
                out.put(r.recordId(), r);
            }
        }
        return out;
    }

    public static Map<String, Rec> byId(Collection<Rec> records) {
        Map<String, Rec> out = new LinkedHashMap<>();
        for (Rec r : records) {
            out.put(r.recordId(), r);
        }
        return out;
    }
}
