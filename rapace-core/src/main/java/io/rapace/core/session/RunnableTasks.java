package io.rapace.core.session;

import java.nio.file.Path;

/**
 * How many tasks the machine has runnable right now (running or waiting for a core), the reader included: Linux's
 * {@code nr_running}, the numerator of the fourth field of {@code /proc/loadavg} ({@code "0.98 0.89 0.98 3/345
 * 12345\n"}). The file is opened once per JVM and read again from its start at each reading ({@link ProcFile}): a
 * reading allocates nothing after a thread's first, since it is taken on a caller's thread ({@link LeadSpin}), whose
 * calls allocate nothing. A reading is a system call (a few µs on a VM), so it is taken only when a caller suspects
 * that it shares its core with the peer, never on the fast path. Machine-wide: in a container limited to fewer CPUs
 * than the machine has, other tenants' tasks count too. Any thread may read it (one at a time).
 */
final class RunnableTasks {

    /** The reading when there is none: not Linux, no {@code /proc}. */
    static final int UNKNOWN = -1;

    /** Opened at the first reading in this JVM: a JVM whose callers never share a core with the peer never opens it. */
    private static final ProcFile LOADAVG = new ProcFile(Path.of("/proc/loadavg"), false, RunnableTasks::runnableOf,
            UNKNOWN);

    private RunnableTasks() {
    }

    /** The machine's runnable tasks now, or {@link #UNKNOWN}. */
    static int now() {
        return (int) LOADAVG.read();
    }

    /**
     * The number before the {@code /} of the fourth space-separated field of a {@code loadavg} line in
     * {@code loadavg[0, length)}, or {@link #UNKNOWN}.
     */
    static long runnableOf(byte[] loadavg, int length) {
        int at = 0;
        for (int spaces = 0; spaces < 3; at++) {
            if (at == length) {
                return UNKNOWN;
            }
            if (loadavg[at] == ' ') {
                spaces++;
            }
        }
        long value = 0;
        int from = at;
        for (; at < length && loadavg[at] >= '0' && loadavg[at] <= '9' && at - from < 9; at++) {
            value = value * 10 + (loadavg[at] - '0');
        }
        return at > from && at < length && loadavg[at] == '/' ? value : UNKNOWN;
    }
}
