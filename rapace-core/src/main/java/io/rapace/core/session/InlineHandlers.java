package io.rapace.core.session;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Watches the non-blocking handlers that run on the receive thread. A run longer than
 * {@value #WARN_MILLIS} ms is reported (the second time, since the first is the handler's cold start, and
 * then every {@value #WARN_EVERY}th time per handler): every other call waited meanwhile. A handler that runs longer than {@value #DEMOTE_MILLIS} ms
 * {@value #SLOW_RUNS_ALLOWED} times, which no computation that deserves the name non-blocking does even on a
 * loaded machine (a scheduler quantum is a few ms), is moved to handler threads for the rest of the session,
 * with a warning, so that a handler wrongly declared non-blocking (sleeping, doing I/O) cannot keep stalling
 * every other call. Wall-clock time is what the other calls wait, so it is what counts; a busy machine can
 * stretch a run, hence the wide margin before demotion. Only the receive thread reports runs;
 * {@link #allows} is read there too and costs one volatile read while no handler was demoted.
 */
final class InlineHandlers {

    /** A run on the receive thread longer than this many milliseconds is reported. */
    static final int WARN_MILLIS = 5;

    /** A run on the receive thread longer than this many milliseconds counts towards demotion. */
    static final int DEMOTE_MILLIS = 50;

    /** Slow runs (over {@link #DEMOTE_MILLIS}) a handler may have before it loses the receive thread. */
    static final int SLOW_RUNS_ALLOWED = 3;

    /** After the first report, every this many-th slow run of a handler is reported again. */
    static final int WARN_EVERY = 100;

    static final long WARN_NANOS = TimeUnit.MILLISECONDS.toNanos(WARN_MILLIS);

    private static final long DEMOTE_NANOS = TimeUnit.MILLISECONDS.toNanos(DEMOTE_MILLIS);

    private static final System.Logger LOG = System.getLogger(InlineHandlers.class.getName());

    /** Per handler: [runs over WARN, runs over DEMOTE]. Touched only on slow runs. */
    private final Map<MethodHandler, int[]> slowRuns = new ConcurrentHashMap<>();

    private final Map<MethodHandler, Boolean> demoted = new ConcurrentHashMap<>();

    /** Set once the first handler was demoted; volatile so that the fast path reads one flag. */
    private volatile boolean anyDemoted;

    /** Whether {@code handler}, which says it is non-blocking, may run on the receive thread. */
    boolean allows(MethodHandler handler) {
        return !this.anyDemoted || !this.demoted.containsKey(handler);
    }

    /** {@code handler} ran {@code nanos} on the receive thread, more than {@link #WARN_NANOS}. Receive thread only. */
    void ranSlow(MethodHandler handler, long nanos) {
        int[] counts = this.slowRuns.computeIfAbsent(handler, key -> new int[2]);
        long micros = TimeUnit.NANOSECONDS.toMicros(nanos);
        if (nanos > DEMOTE_NANOS && ++counts[1] >= SLOW_RUNS_ALLOWED) {
            if (this.demoted.putIfAbsent(handler, Boolean.TRUE) == null) {
                this.anyDemoted = true;
                LOG.log(System.Logger.Level.WARNING, "{0} is non-blocking but ran over {1} ms on the receive thread {2} "
                        + "times (last: {3} µs): it now runs on handler threads for the rest of this session; remove "
                        + "@NonBlocking from it", handler, DEMOTE_MILLIS, counts[1], micros);
            }
            return;
        }
        // The first slow run of a handler is its cold start (class loading, first compilation): not reported.
        if (counts[0]++ % WARN_EVERY == 1) {
            LOG.log(System.Logger.Level.WARNING, "{0} is non-blocking but ran {1} µs on the receive thread (over {2} ms, "
                    + "{3} times so far); every other call waited meanwhile", handler, micros, WARN_MILLIS, counts[0]);
        }
    }
}
