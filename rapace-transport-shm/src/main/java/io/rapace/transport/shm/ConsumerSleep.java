package io.rapace.transport.shm;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * The consumer side of the wake extension on one ring: once the idle strategy has passed its spin and
 * yield phases, sleeps in {@code FUTEX_WAIT} on the ring's {@code wake_seq} until the producer wakes it,
 * a bounded timeout passes, or the transport closes. Used by one thread at a time (the consumer, or a
 * thread that only waits for frames while others consume); owns that thread's futex buffers.
 *
 * <p>Algorithm (see {@code docs/wake-extension.md}): store {@code consumer_waiting = 1} (volatile, i.e.
 * with a full fence), read {@code s = wake_seq} (acquire), re-check the ring; if empty,
 * {@code FUTEX_WAIT(&wake_seq, s, timeout)}; then {@code consumer_waiting = 0}.
 */
final class ConsumerSleep {

    /**
     * Longest single futex sleep: 10 s, a backstop only. A sleep that should end without a wake from the peer is
     * woken by the heartbeat thread's {@link SleepWatch} within a heartbeat interval: frames a peer published without
     * waking, an unwatched peer's death, a host's close; a watched peer's death and our own close wake it at once.
     * Each wake-up of an idle thread costs tens to hundreds of µs of a core on a VM: the bound was 1 s (and 250 ms
     * before), for those cases alone. How long a caller lets a sleep last is its own choice (the session's turns).
     */
    static final long MAX_SLEEP_NANOS = TimeUnit.SECONDS.toNanos(10);

    /**
     * Runs of the code around a sleep made once per JVM before its first sleep after frames came, so that the JIT
     * compiles it ({@link #warmUpOnce}): past C1's threshold (200 invocations), with room.
     */
    private static final int WARM_UPS = 500;

    /**
     * Whether this JVM warmed up the code around a sleep (compiled code serves every ring): a plain read on the way
     * to a sleep, written once by the first sleeper (two sleepers racing both warm up, harmlessly).
     */
    private static boolean warmedUp;

    /** The logger, made at this class's first log line: a process that logs nothing never sets up the JDK's logging. */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(ConsumerSleep.class.getName());
    }

    private final RingRegion ring;
    /** The consumer of {@link #ring}: what it consumed counts, published to the producer or not. */
    private final RingConsumer consumer;
    private final Lifecycle lifecycle;
    private final WakeFlags flags;
    /**
     * This sleeper's futex buffers, made at the first sleep: a consumer whose peer does not run the extension never
     * sleeps, and never links the native calls. Touched only by the one sleeper ({@link #sleeper}).
     */
    private @Nullable Futex futex;
    private final AtomicLong sleeps = new AtomicLong();
    /** How the last FUTEX_WAIT ended ({@link Futex#WOKEN} ...), -1 before the first; for tests. */
    private volatile int lastResult = -1;
    /**
     * When the last sleep was ended by a wake ({@link System#nanoTime()}), 0 once taken ({@link #takeRecentWake}):
     * written by the sleeper after its FUTEX_WAIT, taken by this transport's sender ({@link ProducerWake}). Volatile:
     * written once per wake-up, read only where a send finds the peer asleep.
     */
    private volatile long wokenAtNanos;
    /** Set when FUTEX_WAIT failed with an unexpected errno: poll from then on. Consumer thread only. */
    private boolean broken;
    /**
     * Set by {@link #nudge()} (any thread), taken by the consumer after its sleep: the receive then returns so that
     * a thread that wants to read for itself gets the ring at once. Plain volatile flag: a lost race only costs
     * the nudger the wait for the receive's own timeout or the next frame.
     */
    private volatile boolean nudged;
    /**
     * Whether the sleep going on, or about to, is kept warm ({@link SleepWatch}): written by the sleeper before it
     * announces the sleep ({@code consumer_waiting} = 1), read by the heartbeat thread once it saw that word at 1.
     */
    private volatile boolean keptWarm;
    /** The thread in {@link #sleep} now: the futex buffers serve one thread at a time. */
    private final ExclusiveUse sleeper = new ExclusiveUse("another thread already sleeps on this ring: one thread "
            + "at a time may wait for frames, in receive or awaitFrames");

    ConsumerSleep(RingRegion ring, RingConsumer consumer, Lifecycle lifecycle, WakeFlags flags) {
        this.ring = ring;
        this.consumer = consumer;
        this.lifecycle = lifecycle;
        this.flags = flags;
    }

    /** Whether {@link #sleep} may be used now: both peers run the extension. */
    boolean canSleep() {
        return !broken && flags.active();
    }

    /**
     * Sleeps until woken, {@code timeoutNanos} (capped at {@link #MAX_SLEEP_NANOS}) or a close; returns
     * at once when the ring is not empty or {@code lifecycle} is closed. The caller re-checks everything. A sleep
     * {@code keptWarm} is also woken about once a second by the JVM's heartbeat thread ({@link SleepWatch}), so that
     * the receive path runs then on a processor that thread has just woken, not after an idle second of its own.
     */
    void sleep(long timeoutNanos, boolean keptWarm) {
        sleeper.enter();
        try {
            this.keptWarm = keptWarm;
            sleepAsOnlySleeper(timeoutNanos);
        }
        finally {
            sleeper.leave();
        }
    }

    private void sleepAsOnlySleeper(long timeoutNanos) {
        // Above 0 once frames came, so start-up is over (no warm-up on the first answer's way).
        if (!warmedUp && consumer.consumed() > 0) {
            warmUpOnce();
        }
        // volatile store (a full fence follows it): pairs with the producer's fence and load of
        // consumer_waiting after its release of visible_head: one of us sees the other (Dekker).
        Mem.putIntVolatile(ring.segment(), ring.consumerWaitingOffset(), 1);
        // full fence: the Java memory model orders a volatile store only against later volatile accesses; the
        // loads below are acquire loads, so the StoreLoad barrier of the Dekker pair is made explicit (free on
        // x86 after a volatile store; this path runs only before a kernel sleep).
        Mem.fullFence();
        try {
            // acquire: pairs with the producer's atomic add; read before the re-check below, so a wake that
            // comes after the re-check changes it and makes FUTEX_WAIT return EAGAIN.
            int seq = Mem.getIntAcquire(ring.segment(), ring.wakeSeqOffset());
            // Frames waiting (read from the mapping, not from the consumer's own state: the sleeper need not be the
            // thread that consumes, see ShmTransport.awaitFrames). close() sets the closed flag before it bumps
            // wake_seq: checked after reading seq.
            if (framesWaiting() || lifecycle.isClosed()) {
                return;
            }
            // lazySet: only the one sleeper writes it.
            sleeps.lazySet(sleeps.get() + 1);
            Futex futex = this.futex;
            if (futex == null) {
                futex = new Futex();
                this.futex = futex;
            }
            int result = futex.await(ring.wakeSeqWord(), seq, Math.clamp(timeoutNanos, 1, MAX_SLEEP_NANOS));
            lastResult = result;
            if (result == Futex.WOKEN || result == Futex.MISMATCH) {
                // a wake ended the sleep, or came as it began (wake_seq moved since we read it)
                wokenAtNanos = System.nanoTime();
            }
            if (result == Futex.FAILED) {
                broken = true;
                Log.LOG.log(System.Logger.Level.WARNING, "FUTEX_WAIT failed; this receiver polls from now on");
            }
        }
        finally {
            // release: a stale 1 seen by the producer only costs it one needless FUTEX_WAKE.
            Mem.putIntRelease(ring.segment(), ring.consumerWaitingOffset(), 0);
        }
    }

    /** Whether this JVM warmed up the code around a sleep ({@link #warmUpOnce}); for tests. */
    static boolean warmedUp() {
        return warmedUp;
    }

    /**
     * Gets the code around a sleep compiled, and starts the JVM's other warm-ups ({@link FutexWarmUp}): once per JVM, at
     * the first sleep after frames came, before {@code consumer_waiting = 1}. That code runs once per sleep, never often
     * enough for the JIT, and part of it is on the way of the request that wakes us:
     * <ul>
     *   <li>the stores of {@code consumer_waiting}: interpreted, the release store after the wake-up (a var-handle
     *       access, a chain of about ten frames) took 24-47 µs of a first call after 3 s idle on a 2-core VM, compiled
     *       2 µs. Made on this ring's own word and segment, so that the JIT sees the very class and call sites of the
     *       sleep: the word holds 0 while this thread is awake, and the consumer is its only writer, so storing 0
     *       changes nothing the producer can see;</li>
     *   <li>the taking of a recent wake-up ({@link #takeRecentWake}), which the producer's answer to that request
     *       calls before its yield, from a branch the JIT never compiles a call for: interpreted, 8-18 µs of the
     *       answer's way. The warm-up takes a wake-up that may be pending from before this sleep, which only costs a
     *       yield nobody needs now: this thread is about to sleep, so no answer to that wake-up is on its way.</li>
     * </ul>
     * (docs/performance-notes.md, "A cold store after the wake-up".) Consumer thread.
     */
    private void warmUpOnce() {
        warmedUp = true;
        FutexWarmUp.startOnce();
        for (int i = 0; i < WARM_UPS; i++) {
            // volatile and release stores of the value the word holds: no change for the producer (see above).
            Mem.putIntVolatile(ring.segment(), ring.consumerWaitingOffset(), 0);
            Mem.putIntRelease(ring.segment(), ring.consumerWaitingOffset(), 0);
            takeRecentWake(0);
        }
    }

    /**
     * Whether a wake ended this ring's sleep less than {@code windowNanos} ago and no one has taken that wake-up yet;
     * takes it (so true at most once per wake-up). Any thread; a lost race between two takers only costs a yield.
     */
    boolean takeRecentWake(long windowNanos) {
        long at = wokenAtNanos;
        if (at == 0) {
            return false;
        }
        wokenAtNanos = 0;
        return System.nanoTime() - at < windowNanos;
    }

    /**
     * Whether frames wait in the ring: published by the producer and not consumed (any thread; the consumer's count,
     * not the mapping's tail, which it stores only at its next look).
     */
    boolean framesWaiting() {
        return consumer.occupancy() > 0;
    }

    /**
     * Wakes this ring's consumer if it sleeps in the kernel now and marks the sleep as nudged ({@link #takeNudge()}),
     * so that the receive around it returns early; does nothing (no system call) while the consumer is awake.
     * For a thread that wants the receive role after an idle period (docs/session.md, "Who reads the ring").
     *
     * @return whether the consumer was asleep (or about to sleep) and has been woken
     */
    boolean nudge() {
        if (!asleep()) {
            return false;
        }
        nudged = true;
        bumpAndWake(1);
        return true;
    }

    /**
     * Whether a thread sleeps here now, or is about to ({@code consumer_waiting} is 1); false while the extension is
     * not in use (the padding of a v1.0 peer's segment is never read). Any thread.
     */
    boolean asleep() {
        // acquire: pairs with the consumer's volatile store of 1 before it re-checks the ring and sleeps; a 0 read
        // here means it is awake (it will see frames or its own timeout) or has not decided to sleep yet.
        return flags.active() && Mem.getIntAcquire(ring.segment(), ring.consumerWaitingOffset()) != 0;
    }

    /**
     * Wakes the consumer if it sleeps, without marking a nudge: its receive goes on, looking at the ring and the peer
     * again ({@link SleepWatch}). Bumps {@code wake_seq} so that a sleep about to start returns at once.
     */
    void wakeToLook() {
        bumpAndWake(1);
    }

    /** Whether the sleep going on is kept warm ({@link #sleep}); meaningful once {@link #asleep()} said so. */
    boolean keptWarm() {
        return keptWarm;
    }

    /** Whether a {@link #nudge()} came since the last call; clears it. Consumer thread only. */
    boolean takeNudge() {
        if (!nudged) {
            return false;
        }
        nudged = false;
        return true;
    }

    /**
     * Wakes this ring's consumer thread (ours) if it sleeps: for {@code close()}, after the closed flag
     * is set. Bumps {@code wake_seq} so that a sleep about to start returns at once.
     */
    void interrupt() {
        // Not in use: this consumer never sleeps in the kernel, and a v1.0 peer's padding stays untouched.
        if (!flags.active()) {
            return;
        }
        bumpAndWake(Integer.MAX_VALUE);
    }

    /**
     * Bumps {@code wake_seq} and wakes up to {@code waiters} sleepers: a sleep about to start then fails its
     * {@code FUTEX_WAIT} with {@code EAGAIN} instead of missing the wake.
     */
    private void bumpAndWake(int waiters) {
        // atomic add: the peer (the ring's producer) adds too; neither bump may be lost.
        Futex.bumpAndWake(ring.segment(), ring.wakeSeqOffset(), ring.wakeSeqWord(), waiters);
    }

    /** Waits until no thread sleeps here, or the deadline passes: for close(), after {@link #interrupt()}. */
    void awaitNoSleeper(long deadline) {
        sleeper.awaitVacant(deadline);
    }

    int lastResult() {
        return lastResult;
    }

    /** FUTEX_WAIT calls made (times the consumer went to sleep). */
    long sleeps() {
        return sleeps.get();
    }
}
