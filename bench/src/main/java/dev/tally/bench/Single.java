package dev.tally.bench;

/** The one-record-per-request scenario with the configured driver: {@link WrkSingle} or the JDK's {@link HttpSingle}. */
final class Single implements Scenario {

    @Override
    public String name() {
        return "single";
    }

    @Override
    public void run(BenchRun bench) throws Exception {
        Scenario driver = "jdk".equals(bench.config().singleDriver()) ? new HttpSingle() : new WrkSingle();
        driver.run(bench);
    }
}
