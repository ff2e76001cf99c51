package dev.tally.support;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/** Points a test context at the PostgreSQL test database, creating it if needed. */
public class PostgresContextInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {
    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestPropertyValues.of(
                "spring.datasource.url=" + PostgresTestDatabase.ensure(),
                "spring.datasource.username=" + PostgresTestDatabase.USER,
                "spring.datasource.password=" + PostgresTestDatabase.PASSWORD)
                .applyTo(context);
    }
}
