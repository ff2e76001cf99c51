package dev.tally.processing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The crash loop on the embedded default exactly as shipped: no database arguments, so the jar
 * opens the H2 file database {@code ./data/tally} of application.properties, here under its own
 * working folder {@code target/crash-loop/h2}.
 */
class CrashLoopH2IT extends AbstractCrashLoopIT {

    @Override
    List<String> databaseArgs() {
        return List.of();
    }

    @Override
    void freshDatabase() throws IOException {
        Path data = workDir().resolve("data");
        if (Files.exists(data)) {
            try (Stream<Path> files = Files.walk(data)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Override
    String name() {
        return "h2";
    }
}
