package io.rapace.core.session;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * What a watched run on the ring's thread is weighed against ({@link InlineHandlers#ranWatched}), read just before the
 * run: the thread's wait for a core so far ({@link RunQueueWait}), the machine's stolen time ({@link StolenTime}) and
 * the JVM's garbage collections so far. None of those is the handler's doing: a run during which the JVM collected
 * stopped with every other thread, off its core and not waiting for one, and is not weighed at all.
 *
 * @param waited the thread's {@link RunQueueWait}, or {@link RunQueueWait#UNKNOWN}
 * @param stolen the machine's {@link StolenTime}, or {@link StolenTime#UNKNOWN}
 * @param collections the JVM's collections so far, or {@link #UNKNOWN}
 */
record RunBaseline(long waited, long stolen, long collections) {

    /** The collections count when the JVM gives none. */
    static final long UNKNOWN = -1;

    /** The readings now: three small reads (two of them files), for runs already suspected only. */
    static RunBaseline now() {
        return new RunBaseline(RunQueueWait.ofCurrentThread(), StolenTime.sinceBoot(), collectionsSoFar());
    }

    /** Nanoseconds the current thread waited for a core since this reading; 0 when either reading is unknown. */
    long waitedSince() {
        return delta(this.waited, RunQueueWait.ofCurrentThread(), RunQueueWait.UNKNOWN);
    }

    /** Nanoseconds the hypervisor stole from the machine since this reading; 0 when either reading is unknown. */
    long stolenSince() {
        return delta(this.stolen, StolenTime.sinceBoot(), StolenTime.UNKNOWN);
    }

    /** Whether the JVM collected garbage since this reading; false when the count is unknown. */
    boolean collectedSince() {
        return this.collections != UNKNOWN && collectionsSoFar() != this.collections;
    }

    private static long delta(long before, long after, long unknown) {
        return before == unknown || after == unknown ? 0 : Math.max(0, after - before);
    }

    /**
     * Collections (young and old, pauses and concurrent cycles alike) every collector of this JVM counted, or
     * {@link #UNKNOWN}.
     */
    static long collectionsSoFar() {
        long count = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            long its = collector.getCollectionCount();
            if (its < 0) {
                return UNKNOWN;
            }
            count += its;
        }
        return count;
    }
}
