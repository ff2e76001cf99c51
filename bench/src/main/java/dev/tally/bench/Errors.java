package dev.tally.bench;

import java.util.ArrayList;
import java.util.List;

/** What the worker threads of a scenario failed with; the scenario fails if any. */
final class Errors {

    private final List<Throwable> errors = new ArrayList<>();

    synchronized void add(Throwable e) {
        errors.add(e);
    }

    synchronized boolean isEmpty() {
        return errors.isEmpty();
    }

    /** Prints the first error; true when there was none. */
    synchronized boolean report() {
        if (errors.isEmpty()) {
            return true;
        }
        System.out.println("  FAIL: " + errors.get(0));
        return false;
    }
}
