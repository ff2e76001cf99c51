package dev.tally.store;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** Wiring kept in store/, which owns the JDBC: the write transaction's writer for this database. */
@Configuration(proxyBeanMethods = false)
class BatchWriterConfig {

    /** The write transaction's writer, in the form of this database (PostgreSQL or H2), chosen once. */
    @Bean
    BatchWriter batchWriter(
            Dialect dialect,
            JdbcTemplate jdbc,
            RecordStore records,
            SummaryStore summaries,
            OutboxTable outbox,
            SequencerStore sequencer) {
        return dialect.batchWriter(jdbc, records, summaries, outbox, sequencer);
    }
}
