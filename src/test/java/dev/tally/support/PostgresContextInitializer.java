package dev.tally.support;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Points a test context at the PostgreSQL test database, creating it if needed. Spring keeps every
 * test context it caches open until the JVM ends, each with its pool: a pool that idles down to
 * one connection keeps a whole run well inside the server's 100 connections, with the instances
 * the Kafka ITs start on top ({@link Instances#postgresWithKafka}).
 */
public class PostgresContextInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {
    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestPropertyValues.of(
                        "spring.datasource.url=" + PostgresTestDatabase.ensure(),
                        "spring.datasource.username=" + PostgresTestDatabase.USER,
                        "spring.datasource.password=" + PostgresTestDatabase.PASSWORD,
                        "spring.datasource.hikari.minimum-idle=" + PostgresTestDatabase.POOL_MINIMUM_IDLE,
                        "spring.datasource.hikari.idle-timeout=" + PostgresTestDatabase.POOL_IDLE_TIMEOUT_MS)
                .applyTo(context);
    }
}
