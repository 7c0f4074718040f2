package io.rapace.transport.shm;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Looks after a receive of one transport asleep in the kernel (wake extension), from the JVM's heartbeat thread at
 * each of its turns (every heartbeat interval or sooner), and wakes it when it should not sleep on:
 * <ul>
 *   <li>frames wait that the peer published without waking it (a peer that shows the extension but does not wake:
 *       buggy or hostile, docs/wake-extension.md section 8);</li>
 *   <li>the peer is {@link PeerState#GONE} without anyone having woken the sleep: an unwatched peer stalled beyond
 *       {@code peerGoneAfter}, or a host that stopped heartbeating and removed the segment file;</li>
 *   <li>a receive's sleep kept warm has lasted about a second ({@link #KEEP_WARM_NANOS}): woken to look, it sleeps
 *       again, so that the receive path runs once a second on a processor this thread has just woken.</li>
 * </ul>
 * The woken receive finds the frames, or throws {@link PeerDiedException} at its look at the peer before the next
 * sleep. So a sleep needs no short bound of its own for these cases (each wake-up of an idle thread costs tens to
 * hundreds of µs of a core on a VM), and the heartbeat thread is awake at these turns anyway.
 *
 * <p>Runs under the heartbeat's monitor ({@link Heartbeat#beatIfDue}), so never after the transport stopped its
 * heartbeat on close, while the mapping is still there. Never throws: the heartbeat thread beats on.
 */
final class SleepWatch {

    /** The logger, made at this class's first log line: a process that logs nothing never sets up the JDK's logging. */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(SleepWatch.class.getName());
    }

    /**
     * A receive asleep in the kernel that this watch has seen asleep for this long, in the same sleep, is woken to look
     * (a sleep kept warm, {@link ConsumerSleep#sleep}): at the second or third of the heartbeat's turns (400 ms
     * apart by default), about once a second.
     */
    static final long KEEP_WARM_NANOS = TimeUnit.MILLISECONDS.toNanos(800);

    private final ConsumerSleep sleep;
    private final PeerLiveness liveness;
    private final String transportName;
    /**
     * Sleeps this watch woke (for tests); lazySet: written by the heartbeat thread only, before its wake (a release
     * store, then the wake's atomic add to {@code wake_seq}, which the woken receive reads before it returns).
     */
    private final AtomicLong wakes = new AtomicLong();
    /** Keep-warm wake-ups of the sleeping receive (for tests); lazySet: the heartbeat thread only writes it. */
    private final AtomicLong warmLooks = new AtomicLong();
    /** The sleep ({@link ConsumerSleep#sleeps()}) seen at the last look, and when it was first seen. Heartbeat thread only. */
    private long sleepSeen = -1;
    private long sleepSeenAt;
    /** Whether a failed look was logged already: once per transport. Heartbeat thread only. */
    private boolean failureLogged;

    SleepWatch(ConsumerSleep sleep, PeerLiveness liveness, String transportName) {
        this.sleep = sleep;
        this.liveness = liveness;
        this.transportName = transportName;
    }

    /**
     * One look: wakes the sleeping receive, if any, when frames wait or the peer is gone; and a receive kept warm
     * that has slept through this watch's looks for {@link #KEEP_WARM_NANOS}. That receive then runs its path (the
     * ring, the peer) and sleeps again, right after this thread's own work on a processor already awake: on a VM a
     * thread's wake-up after an idle second costs several hundred µs of CPU, one that follows another thread's about
     * a tenth of that (docs/performance-notes.md, "Idle CPU"). Its own timer would wake it cold.
     */
    void look() {
        try {
            if (!sleep.asleep()) {
                return;
            }
            if (sleep.framesWaiting() || liveness.state() == PeerState.GONE) {
                // Counted before the wake: the woken receive may return, and its caller read the count, before
                // this thread runs again (a CI run on a loaded machine read one wake short).
                wakes.lazySet(wakes.get() + 1);
                sleep.wakeToLook();
            }
            else if (sleep.keptWarm()) {
                keepWarm(System.nanoTime());
            }
        }
        catch (RuntimeException ex) {
            if (!failureLogged) {
                failureLogged = true;
                Log.LOG.log(System.Logger.Level.WARNING, "the heartbeat thread's look at a sleeping receive of "
                        + transportName + " failed; that receive wakes at its own timeout only", ex);
            }
        }
    }

    /** Wakes the kept-warm sleep once this watch has seen it asleep for {@link #KEEP_WARM_NANOS}. */
    private void keepWarm(long now) {
        long current = sleep.sleeps();
        if (current != sleepSeen) {
            sleepSeen = current;
            sleepSeenAt = now;
        }
        else if (now - sleepSeenAt >= KEEP_WARM_NANOS) {
            sleepSeenAt = now;
            warmLooks.lazySet(warmLooks.get() + 1);
            sleep.wakeToLook();
        }
    }

    /** Sleeps this watch woke because frames waited or the peer was gone. */
    long wakes() {
        return wakes.get();
    }

    /** Sleeps this watch woke to keep the receive path warm. */
    long warmLooks() {
        return warmLooks.get();
    }
}
