package io.rapace.transport.shm;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The producer side of the wake extension on one ring: after each publish, wakes the consumer if it
 * said it is going to sleep. Called under the sender lock, right after the release store of
 * {@code visible_head}.
 *
 * <p>Why no wake-up is lost (Dekker): the producer stores {@code visible_head}, fences, loads
 * {@code consumer_waiting}; the consumer stores {@code consumer_waiting = 1}, fences, loads
 * {@code visible_head}. With a full fence on both sides at least one of them sees the other's store:
 * either the consumer sees the frame and does not sleep, or the producer sees the waiting flag and
 * wakes. A wake that lands after the consumer read {@code wake_seq} but before its {@code FUTEX_WAIT}
 * changed {@code wake_seq}, so the kernel's compare fails and the wait returns at once ({@code EAGAIN}).
 *
 * <p>An answer after idle: when the peer sleeps and our own receive was woken by a wake less than
 * {@link #ANSWER_WINDOW_NANOS} ago (the peer's caller woke us and waits for this frame), the producer yields once
 * before its wake. The kernel puts a woken thread on its waker's processor, so that caller often shares ours, ready
 * to run: it reads its answer at once, while the wake (a system call, and an interrupt to the processor where the
 * peer's receive loop sleeps: 40-70 µs on a 2-core VM) comes after it rather than before. The wake is delayed, never
 * skipped; with nothing else runnable here the yield returns at once. {@code rapace.shm.yield-before-wake=false}
 * turns it off (measurements).
 */
final class ProducerWake {

    /** How recent our own wake-up must be for the yield: a handler that took longer has no caller waiting on it here. */
    static final long ANSWER_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private static final boolean YIELD_BEFORE_WAKE = !"false".equals(System.getProperty("rapace.shm.yield-before-wake"));

    private final RingRegion ring;
    private final WakeFlags flags;
    /** The sleep of this transport's receive, whose wake-ups tell that a peer's caller may share our processor. */
    private final ConsumerSleep ownSleep;
    private final AtomicLong wakes = new AtomicLong();
    private final AtomicLong yields = new AtomicLong();
    /** {@link #ANSWER_WINDOW_NANOS}, or a test's; volatile: set by a test thread before the sends it checks. */
    private volatile long answerWindowNanos = ANSWER_WINDOW_NANOS;

    ProducerWake(RingRegion ring, WakeFlags flags, ConsumerSleep ownSleep) {
        this.ring = ring;
        this.flags = flags;
        this.ownSleep = ownSleep;
    }

    /** Call after publishing: wakes a sleeping consumer. Costs one fence when the extension is enabled. */
    void afterPublish() {
        if (!flags.enabled()) {
            return;
        }
        // full fence: orders our release store of visible_head before the loads below; pairs with the
        // consumer's volatile store of consumer_waiting = 1 before its load of visible_head (Dekker).
        Mem.fullFence();
        // Read after the fence: a plugin's FLAG_WAKE_B set before it slept is seen here (see WakeFlags).
        if (!flags.active()) {
            return;
        }
        // acquire: after the fence, sees the consumer's consumer_waiting = 1 if it missed our head.
        if (Mem.getIntAcquire(ring.segment(), ring.consumerWaitingOffset()) != 0) {
            if (YIELD_BEFORE_WAKE && ownSleep.takeRecentWake(answerWindowNanos)) {
                Thread.yield();
                // lazySet: one writer at a time (the sender lock); read by tests.
                yields.lazySet(yields.get() + 1);
            }
            // atomic add (in the kernel, FUTEX_WAKE_OP): makes a FUTEX_WAIT that has not yet compared fail with EAGAIN;
            // atomic because the consumer's transport also bumps it when it closes.
            Futex.bumpAndWake(ring.segment(), ring.wakeSeqOffset(), ring.wakeSeqWord(), 1);
            // lazySet: one writer at a time (the sender lock); readers need eventual values.
            wakes.lazySet(wakes.get() + 1);
            // plain: our own head (this side writes it). Past our first frame, the start-up's first exchange is over: the
            // JVM's warm-ups start here on a host, whose own loop sleeps in the kernel only a second into an idle period.
            // Asked already, this rarely taken branch reads one static field (FutexWarmUp.asked), not the head.
            if (!FutexWarmUp.asked() && Mem.getLong(ring.segment(), ring.visibleHeadOffset()) > 1) {
                FutexWarmUp.startOnce();
            }
        }
    }

    /** Yields made before a wake (an answer to the wake-up that ended our own sleep); for tests. */
    long yields() {
        return yields.get();
    }

    /** Sets how recent our own wake-up must be for the yield (tests: a loaded machine can take long to answer). */
    void answerWindow(long nanos) {
        this.answerWindowNanos = nanos;
    }

    /** FUTEX_WAKE calls made (a consumer was waiting). */
    long wakes() {
        return wakes.get();
    }
}
