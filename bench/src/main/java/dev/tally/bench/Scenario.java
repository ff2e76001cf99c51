package dev.tally.bench;

/**
 * One measurement of the bench: it drives the service, verifies what the service did against the
 * generator's own expectation, and adds its row(s) to the run's report.
 */
interface Scenario {

    /** Its name in the {@code scenarios=} setting. */
    String name();

    void run(BenchRun bench) throws Exception;
}
