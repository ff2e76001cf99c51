package dev.tally.bench;

import java.util.List;

/** Daemon platform threads, started at once. */
final class Threads {

    private Threads() {}

    static Thread start(Runnable r) {
        Thread t = new Thread(r);
        t.setDaemon(true);
        t.start();
        return t;
    }

    static void join(List<Thread> threads) throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
    }
}
