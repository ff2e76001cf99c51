package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The JDBC URL check behind durable commits; the database side is {@code DurableCommitsH2IT}. */
class DialectTest {

    private static final String DEFAULT_H2 = "jdbc:h2:file:./data/tally;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
            + "DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000;DB_CLOSE_ON_EXIT=FALSE";

    @Test
    void h2ConnectionsAlwaysGetWriteDelayZero() {
        assertThat(Dialect.H2.driverProperties()).containsEntry("WRITE_DELAY", "0");
    }

    @Test
    void aUrlWithoutTheSettingOrWithTheSameValueIsAccepted() {
        assertThatCode(() -> Dialect.H2.checkJdbcUrl(DEFAULT_H2)).doesNotThrowAnyException();
        assertThatCode(() -> Dialect.H2.checkJdbcUrl(DEFAULT_H2 + ";write_delay=0"))
                .doesNotThrowAnyException();
        assertThatCode(() -> Dialect.POSTGRESQL.checkJdbcUrl("jdbc:postgresql://127.0.0.1:5432/tally?WRITE_DELAY=9"))
                .as("PostgreSQL has no such setting")
                .doesNotThrowAnyException();
    }

    @Test
    void aUrlThatDelaysWritesIsRefusedWithAReason() {
        assertThatThrownBy(() -> Dialect.H2.checkJdbcUrl(DEFAULT_H2 + ";WRITE_DELAY=500"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("H2 has WRITE_DELAY=500")
                .hasMessageContaining("Remove WRITE_DELAY=500 from spring.datasource.url");
        assertThatThrownBy(() -> Dialect.H2.checkJdbcUrl("jdbc:h2:file:./x;Write_Delay = 10;MODE=PostgreSQL"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anH2FileDatabaseIsOpenedThroughTheInterruptSafeFileSystem() {
        assertThat(Dialect.H2.openUrl(DEFAULT_H2)).isEqualTo(DEFAULT_H2.replace("jdbc:h2:file:", "jdbc:h2:async:"));
        assertThat(Dialect.H2.openUrl("jdbc:h2:./data/x;MODE=PostgreSQL"))
                .isEqualTo("jdbc:h2:async:./data/x;MODE=PostgreSQL");
        assertThat(Dialect.H2.openUrl("jdbc:h2:~/x")).isEqualTo("jdbc:h2:async:~/x");
        for (String untouched : new String[] {
            "jdbc:h2:mem:x", "jdbc:h2:tcp://localhost/~/x", "jdbc:h2:async:./x", "jdbc:h2:nioMapped:./x"
        }) {
            assertThat(Dialect.H2.openUrl(untouched)).isEqualTo(untouched);
        }
        String pg = "jdbc:postgresql://127.0.0.1:5432/tally";
        assertThat(Dialect.POSTGRESQL.openUrl(pg)).isEqualTo(pg);
    }

    @Test
    void postgresqlKeepsItsOwnDriverProperties() {
        assertThat(Dialect.POSTGRESQL.driverProperties()).containsOnlyKeys("reWriteBatchedInserts", "options");
    }
}
