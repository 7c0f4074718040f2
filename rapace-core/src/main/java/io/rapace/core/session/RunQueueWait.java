package io.rapace.core.session;


/**
 * How long the current thread has waited for a core while runnable, in nanoseconds since it started: Linux's
 * {@code run_delay}, the second field of {@code /proc/thread-self/schedstat}. A run on the ring's thread that
 * took long by the wall clock is weighed with it ({@link InlineHandlers}): time spent queued behind other
 * threads on a busy machine is not the handler's doing. A reading is a system call on a file kept open
 * ({@link ProcFile}), so it is taken only around runs already suspected, never on the fast path.
 */
final class RunQueueWait {

    /** The reading when there is none: not Linux, no {@code /proc}, or a virtual thread. */
    static final long UNKNOWN = -1;

    private RunQueueWait() {
    }

    /** The file whose {@link ProcFile#read()} gives the reading thread's wait for a core so far, or {@link #UNKNOWN}. */
    static ProcFile ofReadingThread() {
        return ProcFile.ofReadingThread("schedstat", RunQueueWait::runDelayOf, UNKNOWN);
    }

    /**
     * The second of the decimal fields of a {@code schedstat} line ({@code "cpu_ns run_delay_ns timeslices\n"}) in
     * {@code schedstat[0, length)}, or {@link #UNKNOWN} when the text is not such a line.
     */
    static long runDelayOf(byte[] schedstat, int length) {
        int at = 0;
        while (at < length && schedstat[at] >= '0' && schedstat[at] <= '9') {
            at++;
        }
        if (at == 0 || at == length || schedstat[at] != ' ') {
            return UNKNOWN;
        }
        long delay = ProcFile.decimalAt(schedstat, length, at + 1, true);
        return delay < 0 ? UNKNOWN : delay;
    }
}
