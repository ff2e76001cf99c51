package dev.tally.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BenchConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        BenchConfig c = BenchConfig.parse();

        assertThat(c.records()).isEqualTo(1_000_000);
        assertThat(c.batch()).isEqualTo(10_000);
        assertThat(c.duplicates()).isEqualTo(0.05);
        assertThat(c.scenarios()).containsExactly("copy", "batch", "single", "steady", "aggregate", "kafka", "totals");
        assertThat(c.out()).isEmpty();
        assertThat(c.times().spread()).isEqualTo(Times.Spread.REALISTIC);
        assertThat(c.singleDriver()).isEqualTo("wrk");
        assertThat(c.singleSeconds()).isEqualTo(30);
        assertThat(c.wrkThreads()).isEqualTo(2);
    }

    @Test
    void theTimesSpreadAndTheSingleDriverAreSettings() {
        BenchConfig c = BenchConfig.parse(
                "times=uniform", "arrival=2026-12-07T15:00:00.123456Z", "singleDriver=jdk", "singleSeconds=5");

        assertThat(c.times().spread()).isEqualTo(Times.Spread.UNIFORM);
        assertThat(c.times().arrival()).isEqualTo(java.time.Instant.parse("2026-12-07T15:00:00.123Z"));
        assertThat(c.mixed(1000).times()).isEqualTo(c.times());
        assertThat(c.singleDriver()).isEqualTo("jdk");
        assertThat(c.singleSeconds()).isEqualTo(5);
        assertThatThrownBy(() -> BenchConfig.parse("times=gaussian")).hasMessageContaining("times=gaussian");
        assertThatThrownBy(() -> BenchConfig.parse("arrival=yesterday")).hasMessageContaining("arrival=yesterday");
        assertThatThrownBy(() -> BenchConfig.parse("singleDriver=curl")).hasMessageContaining("singleDriver=curl");
        assertThatThrownBy(() -> BenchConfig.parse("clients=1", "wrkThreads=2"))
                .hasMessageContaining("wrkThreads <= clients");
    }

    @Test
    void settingsOverrideTheDefaults() {
        BenchConfig c = BenchConfig.parse("records=20000", "scenarios=copy,batch", "seed=7", "out=/tmp/r.md");

        assertThat(c.records()).isEqualTo(20_000);
        assertThat(c.seed()).isEqualTo(7);
        assertThat(c.runs("batch")).isTrue();
        assertThat(c.runs("kafka")).isFalse();
        assertThat(c.out()).isEqualTo("/tmp/r.md");
    }

    @Test
    void derivedCountsFollowRecordsUnlessSet() {
        assertThat(BenchConfig.parse("records=200000").singleItems()).isEqualTo(10_000);
        assertThat(BenchConfig.parse("records=2000").singleItems()).isEqualTo(1_000);
        assertThat(BenchConfig.parse("records=2000", "singleRecords=50").singleItems())
                .isEqualTo(50);
        assertThat(BenchConfig.parse("records=2000").kafkaItems()).isEqualTo(2_000);
        assertThat(BenchConfig.parse("kafkaRecords=30").kafkaItems()).isEqualTo(30);
    }

    @Test
    void unknownSettingsAndScenariosAreRefused() {
        assertThatThrownBy(() -> BenchConfig.parse("recrods=1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown setting recrods=1");
        assertThatThrownBy(() -> BenchConfig.parse("noequals")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BenchConfig.parse("scenarios=batch,bulk"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown scenario bulk");
    }

    @Test
    void malformedNumbersNameTheirSetting() {
        assertThatThrownBy(() -> BenchConfig.parse("records=lots"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("records=lots");
        assertThatThrownBy(() -> BenchConfig.parse("clients=-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("clients=-1");
        assertThatThrownBy(() -> BenchConfig.parse("duplicates=some"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicates=some");
    }

    @Test
    void theRunnerKnowsEveryScenarioInTheConfiguredOrder() {
        assertThat(Bench.scenarios().stream().map(Scenario::name).toList()).isEqualTo(BenchConfig.SCENARIOS);
    }
}
