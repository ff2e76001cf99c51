package dev.tally.outbox;

import java.util.List;

/**
 * The relay's bean types (package-private here), for a test elsewhere that checks by type whether
 * they exist ({@code ingest.KafkaOffH2IT}). A class literal, not a bean name: a renamed or split
 * relay class fails the compilation here instead of passing such a check silently.
 */
public final class RelayBeanTypes {

    public static final List<Class<?>> ALL = List.of(OutboxRelay.class, RelayEndpoint.class, RelayHealth.class);

    private RelayBeanTypes() {}
}
