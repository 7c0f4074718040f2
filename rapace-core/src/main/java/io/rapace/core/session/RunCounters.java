package io.rapace.core.session;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * The counters a watched run on the ring's thread is weighed with ({@link InlineHandlers#ranWatched}), read just before
 * and just after the run ({@link Reader}): the thread's wait for a core so far ({@link RunQueueWait}), the JVM's garbage
 * collections so far, the thread's CPU time and its voluntary switches ({@link VoluntarySwitches}). Each is
 * {@link #UNKNOWN} where it cannot be read.
 *
 * @param waited the thread's {@link RunQueueWait}
 * @param collections the JVM's collections so far
 * @param cpu the thread's CPU time in nanoseconds
 * @param switches the thread's {@link VoluntarySwitches}
 */
record RunCounters(long waited, long collections, long cpu, long switches) {

    /** A counter that cannot be read here; every source above says so with this value. */
    static final long UNKNOWN = -1;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Looked up once: the list is made afresh at each look-up, and a reading allocates nothing. */
    private static final List<GarbageCollectorMXBean> COLLECTORS = ManagementFactory.getGarbageCollectorMXBeans();

    /**
     * Takes the readings of the thread that reads, for one session's ring ({@link InlineHandlers}): its two files stay
     * open between readings, so that a reading allocates nothing but its record while the same thread holds the ring.
     * One reader at a time; closed with its session.
     */
    static final class Reader implements AutoCloseable {

        private final ProcFile waits = RunQueueWait.ofReadingThread();

        private final ProcFile switches = VoluntarySwitches.ofReadingThread();

        /** The readings now: two file reads and two cheap ones, for runs already suspected only. */
        RunCounters now() {
            return new RunCounters(this.waits.read(), collectionsSoFar(), cpuSoFar(), this.switches.read());
        }

        @Override
        public void close() {
            this.waits.close();
            this.switches.close();
        }
    }

    /** Nanoseconds the thread waited for a core from this reading to {@code after}; 0 when either is unknown. */
    long waitedUntil(RunCounters after) {
        return delta(this.waited, after.waited, 0);
    }

    /** Whether the JVM collected garbage from this reading to {@code after}; false when unknown. */
    boolean collectedUntil(RunCounters after) {
        return this.collections != UNKNOWN && after.collections != UNKNOWN && after.collections != this.collections;
    }

    /** The thread's CPU time from this reading to {@code after}, or {@link #UNKNOWN}. */
    long cpuUntil(RunCounters after) {
        return delta(this.cpu, after.cpu, UNKNOWN);
    }

    /**
     * Whether the thread gave up its core of its own accord (slept, waited, was stopped with the JVM) from this reading
     * to {@code after}; true when unknown, so that a run whose switches cannot be read is weighed by the clock.
     */
    boolean blockedUntil(RunCounters after) {
        return this.switches == UNKNOWN || after.switches == UNKNOWN || after.switches != this.switches;
    }

    private static long delta(long before, long after, long unknown) {
        return before == UNKNOWN || after == UNKNOWN ? unknown : Math.max(0, after - before);
    }

    /**
     * Collections (young and old, pauses and concurrent cycles alike) every collector of this JVM counted, or
     * {@link #UNKNOWN}.
     */
    static long collectionsSoFar() {
        long count = 0;
        // Indexed: no iterator.
        for (int i = 0; i < COLLECTORS.size(); i++) {
            long its = COLLECTORS.get(i).getCollectionCount();
            if (its < 0) {
                return UNKNOWN;
            }
            count += its;
        }
        return count;
    }

    /**
     * The current thread's CPU time ({@code CLOCK_THREAD_CPUTIME_ID} on Linux: time on a core, without what the
     * hypervisor stole where the guest accounts for it), or {@link #UNKNOWN} on a virtual thread (its carrier may
     * change) or where the JVM does not measure it.
     */
    static long cpuSoFar() {
        if (Thread.currentThread().isVirtual() || !THREADS.isCurrentThreadCpuTimeSupported()) {
            return UNKNOWN;
        }
        try {
            long cpu = THREADS.getCurrentThreadCpuTime();
            return cpu < 0 ? UNKNOWN : cpu;
        }
        catch (UnsupportedOperationException disabled) {
            return UNKNOWN;
        }
    }
}
