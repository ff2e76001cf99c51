package dev.tally.processing;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** DOWN when the writer thread is not running: the instance then cannot accept records. Part of readiness. */
@Component("writer")
class WriterHealth implements HealthIndicator {

    private final GroupCommitter committer;

    WriterHealth(GroupCommitter committer) {
        this.committer = committer;
    }

    @Override
    public Health health() {
        return committer.isWriterAlive()
                ? Health.up().build()
                : Health.down().withDetail("writer", "not running").build();
    }
}
