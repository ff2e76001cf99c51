package dev.tally.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.test.context.TestPropertySource;

/**
 * Runs a {@code @SpringBootTest} against an H2 file database under {@code target/}, as the embedded
 * default does. The URL needs no {@code WRITE_DELAY}: Tally adds {@code WRITE_DELAY=0} to every
 * H2 connection itself ({@code store.Dialect}), so tests commit as durably as the service does.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@TestPropertySource(
        properties = "spring.datasource.url=jdbc:h2:file:./target/h2-it/tally;MODE=PostgreSQL;"
                + "DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000;DB_CLOSE_ON_EXIT=FALSE")
public @interface UseH2 {}
