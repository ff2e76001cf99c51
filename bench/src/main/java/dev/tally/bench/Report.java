package dev.tally.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The result table: one row per measured scenario, and whether every verification passed. */
final class Report {

    /** One row of the table. */
    record Row(
            String scenario,
            String throughput,
            String latency,
            String peakRss,
            String vsTarget,
            String verify,
            String notes) {

        List<String> cells() {
            return List.of(scenario, throughput, latency, peakRss, vsTarget, verify, notes);
        }
    }

    private static final Row HEAD =
            new Row("scenario", "throughput", "p50 / p99", "peak RSS", "vs target", "verify", "notes");

    private final List<Row> rows = new ArrayList<>();
    private final List<String> lines = new ArrayList<>();
    private boolean allPassed = true;

    void add(Row row) {
        rows.add(row);
    }

    /** Adds a verified row; a failed verification fails the whole run. */
    void add(Row row, boolean passed) {
        rows.add(row);
        verified(passed);
    }

    /** A line printed above the table: what ran (the record times' spread, the single driver). */
    void describe(String line) {
        lines.add(line);
    }

    void verified(boolean passed) {
        allPassed &= passed;
    }

    boolean allPassed() {
        return allPassed;
    }

    static String verdict(boolean passed) {
        return passed ? "PASS" : "FAIL";
    }

    /** Prints the table as markdown, and writes it to {@code out} unless that is empty. */
    void print(String out) throws IOException {
        StringBuilder md = new StringBuilder();
        for (String l : lines) {
            md.append(l).append("\n\n");
        }
        md.append(line(HEAD)).append("|---".repeat(HEAD.cells().size())).append("|\n");
        for (Row r : rows) {
            md.append(line(r));
        }
        md.append("\nOverall verification: ").append(verdict(allPassed)).append('\n');
        System.out.println();
        System.out.print(md);
        if (!out.isEmpty()) {
            Files.writeString(Path.of(out), md.toString());
        }
    }

    private static String line(Row r) {
        return "| " + String.join(" | ", r.cells()) + " |\n";
    }
}
