package dev.tally.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A process's CPU time (user + system, all its threads) from /proc/&lt;pid&gt;/stat. */
final class ProcessCpu {

    /** Clock ticks per second of /proc's times; read once, Linux's usual 100 if getconf fails. */
    private static final long TICKS_PER_SECOND = ticksPerSecond();

    private ProcessCpu() {}

    /** The CPU seconds {@code pid} has used so far; -1 when not readable (no such process, no /proc). */
    static double seconds(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            return ticksToSeconds(ticks(Files.readString(Path.of("/proc/" + pid + "/stat"))));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * CPU seconds of a set of processes, from a first reading to a later one: the PostgreSQL
     * backends of the service's database. A process started in between counts from 0; one that
     * ended in between is lost (the service's pool keeps its connections, so that is rare).
     */
    static final class Group {
        private final java.util.Map<Long, Double> start = new java.util.HashMap<>();

        Group(java.util.Collection<Long> pids) {
            for (long pid : pids) {
                double s = seconds(pid);
                if (s >= 0) {
                    start.put(pid, s);
                }
            }
        }

        /** The CPU seconds used since this group was read, by its processes and by {@code now}'s new ones. */
        double since(java.util.Collection<Long> now) {
            double used = 0;
            for (long pid : now) {
                double s = seconds(pid);
                if (s >= 0) {
                    used += s - start.getOrDefault(pid, 0.0);
                }
            }
            return used;
        }
    }

    /** utime + stime of a /proc/&lt;pid&gt;/stat line (fields 14 and 15; the name in parentheses may hold spaces). */
    static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    static double ticksToSeconds(long ticks) {
        return ticks / (double) TICKS_PER_SECOND;
    }

    private static long ticksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return Long.parseLong(out);
            }
        } catch (IOException | RuntimeException e) {
            // no getconf: Linux's USER_HZ is 100 on every common architecture
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
