package io.rapace.core.session;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which non-blocking handlers may still run on the receive thread: one that ran longer than the budget
 * {@value #SLOW_RUNS_ALLOWED} times is moved to handler threads for the rest of the session, with a warning,
 * so that a handler wrongly declared non-blocking cannot keep stalling every other call. Only the receive
 * thread reports runs; {@link #allows} is read there too, and costs one volatile read while nothing was slow.
 */
final class InlineHandlers {

    /** A run on the receive thread longer than this many milliseconds counts as slow. */
    static final int BUDGET_MILLIS = 5;

    static final long BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(BUDGET_MILLIS);

    /** Slow runs a handler may have before it loses the receive thread. */
    static final int SLOW_RUNS_ALLOWED = 3;

    private static final System.Logger LOG = System.getLogger(InlineHandlers.class.getName());

    private final Map<MethodHandler, AtomicInteger> slowRuns = new ConcurrentHashMap<>();

    /** Set once the first handler was demoted; volatile so that the fast path reads one flag. */
    private volatile boolean anyDemoted;

    private final Map<MethodHandler, Boolean> demoted = new ConcurrentHashMap<>();

    /** Whether {@code handler}, which says it is non-blocking, may run on the receive thread. */
    boolean allows(MethodHandler handler) {
        return !this.anyDemoted || !this.demoted.containsKey(handler);
    }

    /** {@code handler} ran {@code nanos} on the receive thread, over the budget. */
    void ranSlow(MethodHandler handler, long nanos) {
        int count = this.slowRuns.computeIfAbsent(handler, key -> new AtomicInteger()).incrementAndGet();
        long micros = TimeUnit.NANOSECONDS.toMicros(nanos);
        if (count < SLOW_RUNS_ALLOWED) {
            LOG.log(System.Logger.Level.WARNING, "{0} is non-blocking but ran {1} µs on the receive thread "
                    + "(budget {2} ms); every other call waited meanwhile", handler, micros, BUDGET_MILLIS);
            return;
        }
        if (this.demoted.putIfAbsent(handler, Boolean.TRUE) == null) {
            this.anyDemoted = true;
            LOG.log(System.Logger.Level.WARNING, "{0} is non-blocking but ran over the budget of {1} ms {2} times "
                    + "(last: {3} µs): it now runs on handler threads for the rest of this session; remove @NonBlocking "
                    + "from it", handler, BUDGET_MILLIS, count, micros);
        }
    }

    /** Whether {@code handler} was moved to handler threads. */
    boolean isDemoted(MethodHandler handler) {
        return this.demoted.containsKey(handler);
    }
}
