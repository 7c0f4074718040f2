package io.rapace.transport.shm;

/**
 * What a probe (a test's child JVM) tells its test: {@code PROBE OK}, or {@code PROBE FAILED} with the reason and
 * exit code 1. The tests read the probe's output.
 */
final class Probe {

    private Probe() {
    }

    /** Fails the probe with {@code failure} unless {@code condition} holds. */
    static void check(boolean condition, String failure) {
        if (!condition) {
            System.out.println("PROBE FAILED: " + failure);
            System.exit(1);
        }
    }

    /** Reports that every check passed. */
    static void passed() {
        System.out.println("PROBE OK");
    }
}
