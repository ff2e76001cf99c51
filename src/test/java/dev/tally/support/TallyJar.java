package dev.tally.support;

import static dev.tally.support.Waits.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The packaged service ({@code target/tally-*.jar}, what {@code java -jar} users run) as a child
 * process, so that a test can SIGKILL it: {@link Process#destroyForcibly()} is {@code kill -9} on
 * Linux, and nothing in the JVM (no shutdown hook, no finally, no H2 close) runs.
 *
 * <p>The jar exists when the failsafe plugin runs: {@code integration-test} comes after
 * {@code package}, which the Spring Boot plugin repackages into an executable jar.
 */
public final class TallyJar implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final int port;
    private final Path log;

    private TallyJar(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** The executable jar the build packaged; fails with a hint when the test runs without {@code package}. */
    public static Path jar() {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("tally-.*\\.jar"))
                    .filter(p -> !p.getFileName().toString().endsWith("-plain.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no target/tally-*.jar: run the test with"
                            + " './mvnw verify' (failsafe runs after 'package'), not from the IDE alone"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts {@code java -jar} in {@code workDir} (the embedded default's {@code ./data} is then
     * {@code workDir/data}) on a free port with the given {@code --key=value} arguments, and waits
     * until readiness is UP (at most two minutes; a process that dies fails at once).
     */
    public static TallyJar start(Path workDir, Path log, List<String> args) {
        int port = KafkaCluster.freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Small and quick to start: the machine is shared, and a loop starts the service many times.
        command.addAll(List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.addAll(List.of("-jar", jar().toAbsolutePath().toString()));
        command.add("--server.port=" + port);
        command.add("--spring.main.banner-mode=off");
        command.addAll(args);
        try {
            Files.createDirectories(workDir);
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            TallyJar jar = new TallyJar(process, port, log);
            jar.awaitReady();
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        HttpRequest readiness = HttpRequest.newBuilder(URI.create(base() + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(5))
                .GET()
                .build();
        try {
            await("the service ready within " + READY_TIMEOUT + "; see " + log)
                    .atMost(READY_TIMEOUT)
                    .pollInterval(Duration.ofMillis(100))
                    .ignoreExceptionsInstanceOf(IOException.class) // starting, not yet listening: try again
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException(
                                    "the service exited with " + process.exitValue() + "; see " + log);
                        }
                        return client.send(readiness, HttpResponse.BodyHandlers.discarding())
                                        .statusCode()
                                == 200;
                    });
        } catch (RuntimeException e) { // not ready in time, exited, or interrupted: no child outlives the test
            process.destroyForcibly();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, and wait (bounded) until the process is gone, so that its database files are free. */
    public void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    /** SIGTERM (graceful shutdown), then SIGKILL if it does not end in time. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        awaitExit();
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("pid " + process.pid() + " did not end within " + EXIT_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
