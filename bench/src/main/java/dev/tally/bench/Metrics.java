package dev.tally.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The service's Prometheus samples at one moment: "name{labels}" -> value. */
record Metrics(Map<String, Double> samples) {

    static Metrics read(Http http) throws IOException, InterruptedException {
        Map<String, Double> m = new HashMap<>();
        try (BufferedReader r = new BufferedReader(
                new InputStreamReader(http.get("/actuator/prometheus").body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                int space = line.lastIndexOf(' ');
                if (!line.startsWith("#") && space > 0) {
                    m.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
                }
            }
        }
        return new Metrics(m);
    }

    double get(String sample) {
        return samples.getOrDefault(sample, 0.0);
    }

    /** The largest sample of {@code name} over all its labels; 0 if none. */
    double max(String name) {
        return samples.entrySet().stream()
                .filter(e -> e.getKey().startsWith(name))
                .mapToDouble(Map.Entry::getValue)
                .max()
                .orElse(0);
    }

    /** this - before of the samples of {@code name} whose labels contain {@code label}, rounded. */
    long delta(Metrics before, String name, String label) {
        return Math.round(sum(before, name, label, true));
    }

    /** this - before of the samples of {@code name} (all labels), unrounded. */
    double deltaExact(Metrics before, String name) {
        return sum(before, name, "", true);
    }

    /** this - before of the labelled samples of {@code name} whose labels contain {@code label}, unrounded. */
    double deltaLabelled(Metrics before, String name, String label) {
        return sum(before, name, label, false);
    }

    private double sum(Metrics before, String name, String label, boolean unlabelledToo) {
        double d = 0;
        for (Map.Entry<String, Double> e : samples.entrySet()) {
            String k = e.getKey();
            boolean named = (unlabelledToo && k.equals(name)) || k.startsWith(name + "{");
            if (named && k.contains(label)) {
                d += e.getValue() - before.get(k);
            }
        }
        return d;
    }
}
