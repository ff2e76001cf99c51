package dev.tally.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Peak RSS of the service: VmHWM, reset per scenario through /proc/&lt;pid&gt;/clear_refs. */
final class PeakRss {

    private final long pid;

    /** {@code pid} 0 or below: no service process to read, every figure is "n/a". */
    PeakRss(long pid) {
        this.pid = pid;
    }

    void reset() {
        if (pid <= 0) {
            return;
        }
        try {
            Files.writeString(Path.of("/proc/" + pid + "/clear_refs"), "5");
        } catch (IOException e) {
            // not permitted here: the figure is then the peak since the service started
        }
    }

    /** The peak since the last reset, in kB; -1 when not readable. */
    long peakKb() {
        if (pid <= 0) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }
}
