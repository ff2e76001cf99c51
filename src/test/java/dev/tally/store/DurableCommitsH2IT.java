package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.TallyApplication;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The start-up check of durable commits on a real H2 file database: a DataSource Tally's pool
 * settings never reached (H2's own, default WRITE_DELAY 500 ms) is refused; with WRITE_DELAY=0 it
 * passes; and the service refuses a URL that asks for a write delay before it opens anything.
 */
class DurableCommitsH2IT {

    private static final String URL = "jdbc:h2:file:./target/h2-durable-commits/tally;MODE=PostgreSQL";

    private static JdbcDataSource h2(String url) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(url);
        ds.setUser("sa");
        return ds;
    }

    @Test
    void aDataSourceWithH2sDefaultWriteDelayIsRefused() {
        assertThatThrownBy(() -> Dialect.H2.requireDurableCommits(h2(URL)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("H2 has WRITE_DELAY=500");
    }

    @Test
    void aDataSourceWithWriteDelayZeroPasses() {
        assertThatCode(() -> Dialect.H2.requireDurableCommits(h2(URL + ";WRITE_DELAY=0")))
                .doesNotThrowAnyException();
    }

    @Test
    void theServiceRefusesToStartOnAUrlWithAWriteDelay() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(TallyApplication.class).run(
                "--spring.datasource.url=" + URL + ";WRITE_DELAY=500", "--server.port=0",
                "--spring.main.banner-mode=off").close())
                .rootCause().hasMessageContaining("Remove WRITE_DELAY=500 from spring.datasource.url");
    }
}
