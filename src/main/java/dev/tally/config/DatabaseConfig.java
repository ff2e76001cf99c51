package dev.tally.config;

import com.zaxxer.hikari.HikariDataSource;
import dev.tally.store.Dialect;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Database wiring: the dialect's driver settings and migration placeholders, the dialect bean
 * (whose write path's {@code store.BatchWriter} is wired in {@code store.BatchWriterConfig}), and
 * the clock.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfig {

    /**
     * Driver settings per dialect, applied before the pool opens its first connection; among them
     * the settings that make a commit durable at acknowledgement (H2's {@code WRITE_DELAY=0}), so
     * that no JDBC URL has to remember them, and a URL that contradicts them is refused here; and
     * the URL the dialect opens instead of the configured one (H2 files through {@code async:}).
     */
    @Bean
    static BeanPostProcessor dialectDriverSettings() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof HikariDataSource hikari && hikari.getJdbcUrl() != null) {
                    Dialect dialect = Dialect.ofJdbcUrl(hikari.getJdbcUrl());
                    dialect.checkJdbcUrl(hikari.getJdbcUrl());
                    hikari.setJdbcUrl(dialect.openUrl(hikari.getJdbcUrl()));
                    dialect.driverProperties().forEach((key, value) -> {
                        // Server settings ("options") are added to the operator's own, not put in their place.
                        Object own = hikari.getDataSourceProperties().get(key);
                        hikari.addDataSourceProperty(
                                key, "options".equals(key) && own != null ? own + " " + value : value);
                    });
                }
                return bean;
            }
        };
    }

    @Bean
    FlywayConfigurationCustomizer dialectPlaceholders() {
        return configuration -> {
            Dialect dialect = Dialect.of(configuration.getDataSource());
            configuration.placeholders(dialect.flywayPlaceholders());
        };
    }

    /**
     * The database's kind, read once from the pool's first connection; and the proof, before the
     * service takes its first record, that a commit on this DataSource is durable when it returns.
     */
    @Bean
    Dialect dialect(DataSource dataSource) {
        Dialect dialect = Dialect.of(dataSource);
        dialect.requireDurableCommits(dataSource);
        return dialect;
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
