package io.rapace.core.session;

import java.nio.file.Path;

/**
 * How long the hypervisor has kept this machine's virtual CPUs from running, all of them together, in nanoseconds
 * since boot: Linux's {@code steal}, the eighth field of the {@code cpu} line of {@code /proc/stat}, counted in
 * ticks of 10 ms ({@code USER_HZ} is 100 for that file). A thread that runs while its virtual CPU is stolen neither
 * runs nor waits for a core in the guest's own accounting ({@link RunQueueWait}), so a run on the ring's thread
 * stretched that way looks like the handler's own doing unless this is subtracted too ({@link InlineHandlers}).
 * The figure is coarse (a tick) and counts every CPU, so it can only make a run look shorter than it was: a
 * warning about a handler is then given at its next slow run instead. A reading makes the kernel print the whole
 * file (tens of µs), so it is taken only around runs already suspected, never on the fast path.
 */
final class StolenTime {

    /** The reading when there is none: not Linux, no {@code /proc}, or a line not as expected. */
    static final long UNKNOWN = -1;

    private static final ProcFile STAT = new ProcFile(Path.of("/proc/stat"));

    /** {@code /proc/stat} counts in {@code USER_HZ} ticks, 100 a second on every Linux architecture. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    /** The field of the {@code cpu} line after its name: user nice system idle iowait irq softirq steal. */
    private static final int STEAL_FIELD = 8;

    private StolenTime() {
    }

    /** The machine's stolen time so far, or {@link #UNKNOWN}. */
    static long sinceBoot() {
        return STAT.read(StolenTime::stealOf, UNKNOWN);
    }

    /**
     * The steal field of the first line of a {@code /proc/stat} text ({@code "cpu  user nice ... steal ..."}) in
     * nanoseconds, or {@link #UNKNOWN} when that line is not such a line.
     */
    static long stealOf(byte[] stat) {
        if (stat.length < 4 || stat[0] != 'c' || stat[1] != 'p' || stat[2] != 'u' || stat[3] != ' ') {
            return UNKNOWN;
        }
        int at = 3;
        for (int field = 1; field <= STEAL_FIELD; field++) {
            while (at < stat.length && stat[at] == ' ') {
                at++;
            }
            long value = 0;
            int digits = 0;
            for (; at < stat.length && stat[at] >= '0' && stat[at] <= '9'; at++, digits++) {
                if (digits == 15) {
                    return UNKNOWN;  // beyond any real count; nanoseconds would overflow soon after
                }
                value = value * 10 + (stat[at] - '0');
            }
            boolean ended = at == stat.length || stat[at] == ' ' || stat[at] == '\n';
            if (digits == 0 || !ended) {
                return UNKNOWN;
            }
            if (field == STEAL_FIELD) {
                return value * NANOS_PER_TICK;
            }
        }
        return UNKNOWN;
    }
}
