package dev.tally.support;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * How the tests wait for the service: Awaitility, each wait with its own {@code atMost} at the call
 * site. Unlike Awaitility's default, an exception that some other thread leaves uncaught does not
 * fail a wait: the service in the test's JVM runs many threads, and these waits replaced polling
 * loops that asserted only their condition. (Tests that used Awaitility before, such as
 * {@code KafkaFatalErrorIT}, keep its default.)
 */
public final class Waits {

    private Waits() {}

    public static ConditionFactory await() {
        return Awaitility.await().dontCatchUncaughtExceptions();
    }

    /** {@code what} names the condition in the failure of a wait that ran out of time. */
    public static ConditionFactory await(String what) {
        return Awaitility.await(what).dontCatchUncaughtExceptions();
    }
}
