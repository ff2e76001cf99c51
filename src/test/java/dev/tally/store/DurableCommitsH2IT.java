package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.TallyApplication;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
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

    /**
     * With WRITE_DELAY=0 a commit writes the file in the committing thread; an interrupt that lands
     * in that write closes a plain FileChannel, and H2 then closes the database for every
     * connection. The URL the pool opens (H2's async: file system) completes the write instead.
     * The plain file URL is run too, to show that the interrupts do hit the writes.
     */
    @Test
    void interruptsOfACommittingThreadCloseAPlainFileDatabaseButNotTheOneThePoolOpens() throws Exception {
        String file = "jdbc:h2:file:./target/h2-interrupts/plain;WRITE_DELAY=0";
        assertThat(survivesInterrupts(file))
                .as("the plain file system closes the database")
                .isFalse();
        String opened = Dialect.H2.openUrl("jdbc:h2:file:./target/h2-interrupts/pooled;WRITE_DELAY=0");
        assertThat(opened).startsWith("jdbc:h2:async:");
        assertThat(survivesInterrupts(opened))
                .as("the URL the pool opens keeps the database open")
                .isTrue();
    }

    /** Commits in a loop while another thread interrupts it, for at most 5 s; then asks a new connection. */
    private static boolean survivesInterrupts(String url) throws Exception {
        JdbcDataSource ds = h2(url + ";DB_CLOSE_DELAY=-1");
        try (Connection setup = ds.getConnection();
                Statement s = setup.createStatement()) {
            s.execute("DROP TABLE IF EXISTS t");
            s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, payload VARCHAR(2000))");
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<SQLException> closed = new AtomicReference<>();
        Thread writer = new Thread(
                () -> {
                    try (Connection c = ds.getConnection()) {
                        c.setAutoCommit(false);
                        String payload = "x".repeat(1_000);
                        for (long id = 0; !stop.get(); id++) {
                            try (Statement s = c.createStatement()) {
                                s.execute("INSERT INTO t VALUES (" + id + ", '" + payload + "')");
                            }
                            c.commit();
                            Thread.interrupted(); // an interrupt that did no harm is not this loop's business
                        }
                    } catch (SQLException e) {
                        closed.set(e);
                    }
                },
                "interrupted-writer");
        writer.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline && closed.get() == null) {
            writer.interrupt();
            Thread.sleep(0, 200_000);
        }
        stop.set(true);
        writer.join(10_000);
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute("SELECT COUNT(*) FROM t");
            s.execute("SHUTDOWN");
            return closed.get() == null;
        } catch (SQLException e) {
            return false;
        }
    }

    @Test
    void theServiceRefusesToStartOnAUrlWithAWriteDelay() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(TallyApplication.class)
                        .run(
                                "--spring.datasource.url=" + URL + ";WRITE_DELAY=500",
                                "--server.port=0",
                                "--spring.main.banner-mode=off")
                        .close())
                .rootCause()
                .hasMessageContaining("Remove WRITE_DELAY=500 from spring.datasource.url");
    }
}
