package io.rapace.core.session;

import java.util.concurrent.TimeUnit;

/**
 * How long each reader of the ring ({@link ReceiveRole}) waits, spins, leads or steps aside, in one place with the
 * measurements behind each figure: the receive loop, a blocking caller reading for its own answer, a stream's delivery
 * thread and a handler thread reading for its next request.
 */
final class ReadTimings {

    /** A leading caller reads this long with nothing arriving before it gives the role back. */
    static final long LEAD_MICROS = 100;

    /**
     * How long the receive loop leaves the ring to a handler thread that will come and read: one it just gave a call
     * to, or one that took a request and runs it. A handler that runs longer loses nothing: the loop reads again.
     */
    static final long HANDLER_READER_MICROS = 100;

    /** A handler thread that answered reads this long with nothing arriving before it goes back to its pool. */
    static final long HANDLER_LINGER_MICROS = 50;

    static final long HANDLER_READER_NANOS = TimeUnit.MICROSECONDS.toNanos(HANDLER_READER_MICROS);

    static final long HANDLER_LINGER_NANOS = TimeUnit.MICROSECONDS.toNanos(HANDLER_LINGER_MICROS);

    /** The receive loop keeps short receives this long after the last caller left. */
    static final long CALLERS_RECENT_MICROS = 2_000;

    /**
     * Without frames for this long, the loop's turns last {@link #LONG_IDLE_RECEIVE_NANOS} (serving) or
     * {@link #IDLE_WITHOUT_ROLE_TURN_NANOS} (without the role).
     */
    static final long LONG_IDLE_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);

    /**
     * The turn of a loop that serves (it idles holding the role, inside the receive) once idle for long. Nothing needs
     * a turn to end: a stop request or a caller wanting the role wakes a turn sleeping in the kernel early
     * ({@link io.rapace.transport.shm.ShmTransport#wakeSleepingReceive()}); so do frames, the peer's death, and, from
     * the JVM's heartbeat thread, frames the peer published without waking it and a death no one told the transport
     * of. With a v1.0 peer the turn parks 4 ms at a time and looks at the ring and, every 16 parks, at the peer
     * between parks. A loop that runs its receive path once a second serves the first request after an idle period
     * faster (measured 2026-12-02 with 10 s turns against 1 s on both sides, fast-launched Spring plugin,
     * {@code TypedCallHarness 30000 1 30000 --idle=10}, 7 interleaved pairs, 27 rounds each: the rounds that did not
     * wait out the VM's slow vCPU wake-up, 0.8-1.8 ms, had a median of 265 µs against 390), so the turn was 1 s until
     * 2026-12-05. Now the JVM's heartbeat thread wakes the sleeping receive to look about once a second (a sleep kept
     * warm, {@code SleepWatch}), right after its own beat, which costs the receive a tenth of a wake-up by its own
     * timer on a VM; the turn itself only bounds how long the loop stays inside one receive.
     */
    static final long LONG_IDLE_RECEIVE_NANOS = TimeUnit.SECONDS.toNanos(10);

    /**
     * The turn of a loop idle without the role ({@link ReceiveRole}'s {@code idleWithoutRole}: a session whose blocking
     * callers wait, a host): 10 s. That loop is not on a first call's way (the caller reads its own answer), so its
     * turns keep nothing warm that the call needs. Measured 2026-12-02 against 1 s, the plugin unchanged:
     * {@code rpc.IdleThreads}, three interleaved pairs, the host over 20 s idle 0.190-0.218 % of a core against
     * 0.244-0.285 % (183-187 wake-ups against 207-217); the first call after 10 s idle, three pairs of 5 rounds,
     * medians of all rounds 349 against 386 µs, of the rounds without the VM's slow wake-up 318 (11 of 15) against
     * 285 µs (8): within these rounds' spread.
     */
    static final long IDLE_WITHOUT_ROLE_TURN_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** How long the receive loop steps aside before it looks again (a caller leaving may wake it earlier). */
    static final long STEP_ASIDE_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    /**
     * The longest step-aside, reached by doubling while callers keep reading and the loop's looks find nothing for it.
     * Each look wakes the loop, and on a VM a wake-up costs 20-40 µs of a core, which the call running then waits
     * for: with 200 µs steps, a quarter of a percent of a steady caller's calls took 25-65 µs instead of 0.5.
     */
    static final long MAX_STEP_ASIDE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    static final long LEAD_NANOS = TimeUnit.MICROSECONDS.toNanos(LEAD_MICROS);

    /** How long a caller tries to take the role before it waits for its answer instead. */
    static final long TRY_ROLE_NANOS = TimeUnit.MICROSECONDS.toNanos(5);

    /**
     * How long a caller tries to take the role from a receive loop it woke from a kernel sleep: a wake-up of an
     * idle thread takes tens to hundreds of µs on a VM.
     */
    static final long TRY_ROLE_FROM_SLEEPER_NANOS = TimeUnit.MICROSECONDS.toNanos(500);

    /**
     * A caller after an idle period leads this long with nothing arriving: the peer's receive loop was idle too
     * (parked, or asleep in the kernel) and its wake-up alone takes tens to hundreds of µs; reading for itself
     * saves this caller the wake-ups of our own loop and then of itself.
     */
    static final long LEAD_AFTER_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    /**
     * A leading caller, or a stream's delivery thread, spins this long for its frame, then yields between polls.
     * Measured with TypedCallHarness against the fast-launched Spring plugin on 2 cores (100,000 calls, 1 and 8
     * callers): 20 µs gives a median of 1.7-1.9 µs for both; 5 µs made one run in two fall to a median of 20 µs for
     * 1 caller, and 2 µs made every run 12 µs for 1 caller and 80-140 µs for 8: a yield that finds another runnable
     * thread hands it the core. On the build of 2026-12-02, 2 µs for callers alone (20 µs while others waited) still
     * made one caller's typed p99 against that plugin 11-12 µs in two runs of three against 0.6-2.1 µs (single runs,
     * within the spread of that tail), and 2 µs for every caller made 8 callers' throughput 185-525k calls/s against
     * 183-994k. With host and plugin pinned to one core (a third busy process took the other), spinning only delays
     * the peer: 37 µs at the median with 20 µs, 13 µs with 2. So a caller leading alone spins 2 µs instead while its
     * answers keep coming only after it gave its core away and no other core is free ({@link LeadSpin}).
     */
    static final long LEAD_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(20);

    /**
     * A handler thread reading alone for its next request yields once after this long, so that the caller, when it
     * shares the core, gets it back for its answer at once; then it spins on as a leading caller does. Between two
     * JVMs on 2 cores the scheduler puts the caller and the handler thread on one core for 1-3 % of the calls now and
     * then ({@code sched_getcpu} marks on both sides, 2026-12-02), and each such call took both spins: 44 µs split
     * 22 / 22 between request and answer, the p99 of {@code UnaryRoundTrip}'s blocking echo in most runs. With the
     * yield, only the caller's spin is left: {@code call().get()} p99 9.5, 29.1 and 28.3 µs against 44.8, 44.3 and
     * 43.7 µs (three interleaved pairs). Yielding at every poll after 2 µs did as well there, but made calls 20 µs
     * apart from the C reference host 1.4 µs at the median in three runs of three against 0.6-1.25 µs: the thread and
     * our yielding receive loop handed the core back and forth meanwhile.
     */
    static final long HANDLER_YIELD_AFTER_NANOS = TimeUnit.MICROSECONDS.toNanos(2);

    static final long CALLERS_RECENT_NANOS = TimeUnit.MICROSECONDS.toNanos(CALLERS_RECENT_MICROS);

    private ReadTimings() {
    }
}
