package io.rapace.core.session;

import java.nio.charset.StandardCharsets;

/**
 * How many times the current thread gave up its core of its own accord since it started: Linux's
 * {@code voluntary_ctxt_switches} in {@code /proc/thread-self/status}. A thread that sleeps, waits for I/O or a lock,
 * or is stopped with every other thread of the JVM (a safepoint) switches voluntarily; one that is only preempted, or
 * whose virtual CPU the hypervisor descheduled, does not. A run on the ring's thread during which the count did not
 * move only ran or stood in line for a core, so its CPU time alone is the handler's doing ({@link InlineHandlers}).
 * A reading is a system call on a file kept open ({@link ProcFile}), so it is taken only around runs already suspected,
 * never on the fast path.
 */
final class VoluntarySwitches {

    /** The reading when there is none: not Linux, no {@code /proc}, a virtual thread, or a file not as expected. */
    static final long UNKNOWN = -1;

    /** The field's name at the start of its line; {@code nonvoluntary_ctxt_switches} ends the same way. */
    private static final byte[] FIELD = "\nvoluntary_ctxt_switches:".getBytes(StandardCharsets.US_ASCII);

    private VoluntarySwitches() {
    }

    /** The file whose {@link ProcFile#read()} gives the reading thread's voluntary switches so far, or {@link #UNKNOWN}. */
    static ProcFile ofReadingThread() {
        return ProcFile.ofReadingThread("status", VoluntarySwitches::countOf, UNKNOWN);
    }

    /**
     * The value of the {@code voluntary_ctxt_switches:} line of a {@code status} text (the name at the start of a
     * line, then tabs or spaces, then decimal digits to the end of the line) in {@code status[0, length)}, or
     * {@link #UNKNOWN} when there is no such line.
     */
    static long countOf(byte[] status, int length) {
        int at = find(status, length);
        if (at < 0) {
            return UNKNOWN;
        }
        while (at < length && (status[at] == '\t' || status[at] == ' ')) {
            at++;
        }
        long count = ProcFile.decimalAt(status, length, at, false);
        return count < 0 ? UNKNOWN : count;
    }

    /** The index just after the field's name, or -1. */
    private static int find(byte[] status, int length) {
        outer:
        for (int from = 0; from + FIELD.length <= length; from++) {
            for (int i = 0; i < FIELD.length; i++) {
                if (status[from + i] != FIELD[i]) {
                    continue outer;
                }
            }
            return from + FIELD.length;
        }
        return -1;
    }
}
