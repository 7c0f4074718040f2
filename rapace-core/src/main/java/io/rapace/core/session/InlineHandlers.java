package io.rapace.core.session;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * Watches the non-blocking handlers that run on the ring's thread. A run longer than {@value #WARN_MILLIS} ms by
 * its own doing is reported (the first such run, then every {@value #WARN_EVERY}th per handler): every other call
 * waited meanwhile. A handler that runs longer than {@value #DEMOTE_MILLIS} ms {@value #SLOW_RUNS_ALLOWED} times,
 * which no computation that deserves the name non-blocking does, is moved to handler threads for the rest of the
 * session, with a warning, so that a handler wrongly declared non-blocking (sleeping, doing I/O) cannot keep
 * stalling every other call.
 *
 * <p>What is a handler's own doing: for a run during which its thread never gave up its core of its own accord
 * ({@link VoluntarySwitches}), the CPU time it used; the rest of such a run the thread stood in line for a core, or its
 * virtual CPU was descheduled by the hypervisor, neither of which says anything about the handler. For a run during
 * which its thread blocked (a handler that sleeps or does I/O, the very thing to report, or the JVM stopping every
 * thread), the wall-clock time less the time the thread waited, runnable, for a core ({@link RunQueueWait}); a run
 * during which the JVM collected garbage is not weighed at all. On a busy machine a thread loses its core for a
 * scheduler quantum or more (at a JVM's shutdown next to two others on two cores, 45 ms was seen); on a 2-core VM
 * beside eight spinning threads a 0.5 ms run took 15-24 ms by the clock that its wait for a core did not account for,
 * nor the machine's stolen time ({@code /proc/stat}), which the rule subtracted for a while: a figure in 10 ms ticks
 * summed over every CPU, which also made a handler sleeping 55 ms look like a 49 ms one. Those readings are file reads
 * before and after a run, too dear for every call, so a run slow by the wall clock only puts its handler under watch:
 * its next {@value #WATCH_RUNS} runs are measured, and only a measured run counts. The first slow run of a handler, its
 * cold start (class loading, first compilation), is thus never counted either. Where a reading cannot be made (not
 * Linux, a virtual thread), it is left out: a run whose switches are unknown is weighed by the clock, and an unknown
 * wait takes nothing off. One handler is watched at a time (a plain read on the fast path); a newer suspect takes the
 * place of an older one, which a further slow run brings back.
 *
 * <p>Only the thread that holds the ring ({@link ReceiveRole}, whose lock orders the hand-overs) reports runs and takes
 * the readings ({@link #countersNow}, whose files stay open until {@link #close}); {@link #allows} is read there too
 * and costs one volatile read while no handler was demoted.
 */
final class InlineHandlers implements AutoCloseable {

    /** A run on the ring's thread longer than this many milliseconds by its own doing is reported. */
    static final int WARN_MILLIS = 5;

    /** A run on the ring's thread longer than this many milliseconds by its own doing counts towards demotion. */
    static final int DEMOTE_MILLIS = 50;

    /** Slow runs (over {@link #DEMOTE_MILLIS}) a handler may have before it loses the ring's thread. */
    static final int SLOW_RUNS_ALLOWED = 3;

    /** After the first report, every this many-th slow run of a handler is reported again. */
    static final int WARN_EVERY = 100;

    /**
     * Runs of a suspected handler measured after its last slow one: a handler slow by its own doing is slow again
     * soon, and each measured run costs four file reads ({@link RunCounters}: 10-15 µs each when warm on this VM,
     * about 40 µs cold), so few.
     */
    static final int WATCH_RUNS = 8;

    static final long WARN_NANOS = TimeUnit.MILLISECONDS.toNanos(WARN_MILLIS);

    private static final long DEMOTE_NANOS = TimeUnit.MILLISECONDS.toNanos(DEMOTE_MILLIS);

    /** The logger, made at this class's first log line: a process that logs nothing never sets up the JDK's logging. */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(InlineHandlers.class.getName());
    }

    /** Per handler: [measured runs over WARN, measured runs over DEMOTE]. Touched only on slow runs. */
    private final Map<MethodHandler, int[]> slowRuns = new ConcurrentHashMap<>();

    private final Map<MethodHandler, Boolean> demoted = new ConcurrentHashMap<>();

    /** Set once the first handler was demoted; volatile so that the fast path reads one flag. */
    private volatile boolean anyDemoted;

    /** The handler whose runs are measured, if any; the ring's thread only. */
    private @Nullable MethodHandler watched;

    /** How many more runs of {@link #watched} are measured unless one is slow; the ring's thread only. */
    private int watchedRunsLeft;

    /** The readings of watched runs. */
    private final RunCounters.Reader counters = new RunCounters.Reader();

    /** Whether {@code handler}, which says it is non-blocking, may run on the ring's thread. */
    boolean allows(MethodHandler handler) {
        return !this.anyDemoted || !this.demoted.containsKey(handler);
    }

    /** Whether the next run of {@code handler} is to be measured: {@link #ranWatched} then follows it. */
    boolean watches(MethodHandler handler) {
        return handler == this.watched;
    }

    /** The readings a watched run is weighed with, taken by the ring's thread just before and just after the run. */
    RunCounters countersNow() {
        return this.counters.now();
    }

    /** Closes the readings' files (the session ended): a later reading is unknown. */
    @Override
    public void close() {
        this.counters.close();
    }

    /** {@code handler}, not watched, ran {@code nanos} by the wall clock, more than {@link #WARN_NANOS}. */
    void ranSlowUnwatched(MethodHandler handler, long nanos) {
        this.watched = handler;
        this.watchedRunsLeft = WATCH_RUNS;
        Log.LOG.log(System.Logger.Level.DEBUG, "{0} ran {1} µs on the ring''s thread: its next {2} runs are measured",
                handler, TimeUnit.NANOSECONDS.toMicros(nanos), WATCH_RUNS);
    }

    /**
     * {@code handler}, watched, ran {@code nanos} by the wall clock, between the readings {@code before} and
     * {@code after} ({@link #countersNow()}): what counts of it is its own doing (see the class comment).
     */
    void ranWatched(MethodHandler handler, long nanos, RunCounters before, RunCounters after) {
        long waited = before.waitedUntil(after);
        long cpu = before.cpuUntil(after);
        boolean blocked = before.blockedUntil(after);
        boolean collected = before.collectedUntil(after);
        long unaccounted = nanos - waited;
        long own = collected ? 0 : !blocked && cpu != RunCounters.UNKNOWN ? Math.min(cpu, unaccounted) : unaccounted;
        if (own <= WARN_NANOS) {
            if (nanos > WARN_NANOS) {
                Log.LOG.log(System.Logger.Level.DEBUG, "{0} ran {1} µs on the ring''s thread: {2} µs on a core, {3} µs "
                        + "waiting for one{4}: not counted", handler, TimeUnit.NANOSECONDS.toMicros(nanos),
                        cpu == RunCounters.UNKNOWN ? "?" : TimeUnit.NANOSECONDS.toMicros(cpu),
                        TimeUnit.NANOSECONDS.toMicros(waited),
                        collected ? ", the JVM collecting garbage meanwhile" : blocked ? "" : ", never blocking");
            }
            if (--this.watchedRunsLeft == 0) {
                this.watched = null;
            }
            return;
        }
        this.watchedRunsLeft = WATCH_RUNS;
        counted(handler, own);
    }

    private void counted(MethodHandler handler, long own) {
        int[] counts = this.slowRuns.computeIfAbsent(handler, key -> new int[2]);
        long micros = TimeUnit.NANOSECONDS.toMicros(own);
        if (own > DEMOTE_NANOS && ++counts[1] >= SLOW_RUNS_ALLOWED) {
            if (this.demoted.putIfAbsent(handler, Boolean.TRUE) == null) {
                this.anyDemoted = true;
                this.watched = null;
                Log.LOG.log(System.Logger.Level.WARNING, "{0} is non-blocking but ran over {1} ms on the receive thread {2} "
                        + "times (last: {3} µs): it now runs on handler threads for the rest of this session; remove "
                        + "@NonBlocking from it", handler, DEMOTE_MILLIS, counts[1], micros);
            }
            return;
        }
        if (counts[0]++ % WARN_EVERY == 0) {
            Log.LOG.log(System.Logger.Level.WARNING, "{0} is non-blocking but ran {1} µs on the receive thread (over {2} ms, "
                    + "{3} times so far); every other call waited meanwhile", handler, micros, WARN_MILLIS, counts[0]);
        }
    }

    /** How many measured runs of {@code handler} counted as its own doing over {@link #WARN_NANOS} so far. */
    int slowRunsCounted(MethodHandler handler) {
        int[] counts = this.slowRuns.get(handler);
        return counts == null ? 0 : counts[0];
    }
}
