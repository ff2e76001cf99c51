package dev.tally.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Linux's TCP counters for connection set-up trouble (what {@code nstat} shows): a full listen
 * queue drops SYNs, and the client retransmits them after 1 s, 3 s... They count the whole
 * machine (other benches included); empty where /proc/net is not readable.
 */
record TcpCounters(Map<String, Long> values) {
    private static final List<String> NAMES =
            List.of("ActiveOpens", "ListenOverflows", "ListenDrops", "TCPSynRetrans", "TCPTimeouts");

    static TcpCounters read() {
        Map<String, Long> v = new LinkedHashMap<>();
        for (String file : List.of("/proc/net/snmp", "/proc/net/netstat")) {
            try {
                readPairs(Files.readAllLines(Path.of(file)), v);
            } catch (IOException | RuntimeException e) {
                // not Linux, or not readable: the line says so by being empty
            }
        }
        return new TcpCounters(v);
    }

    /** The files hold pairs of lines: "Tcp: Name1 Name2 ..." then "Tcp: 1 2 ...". */
    private static void readPairs(List<String> lines, Map<String, Long> into) {
        for (int i = 0; i + 1 < lines.size(); i += 2) {
            String[] names = lines.get(i).split(" ", -1);
            String[] numbers = lines.get(i + 1).split(" ", -1);
            boolean tcp = names[0].equals("Tcp:") || names[0].equals("TcpExt:");
            for (int k = 1; tcp && k < names.length && k < numbers.length; k++) {
                if (NAMES.contains(names[k])) {
                    into.put(names[k], Long.parseLong(numbers[k]));
                }
            }
        }
    }

    String since(TcpCounters before) {
        StringBuilder b = new StringBuilder();
        for (String n : NAMES) {
            if (values.containsKey(n) && before.values.containsKey(n)) {
                b.append(b.isEmpty() ? "" : ", ").append(n).append(" +").append(values.get(n) - before.values.get(n));
            }
        }
        return b.isEmpty() ? "(counters not readable)" : b.toString();
    }
}
