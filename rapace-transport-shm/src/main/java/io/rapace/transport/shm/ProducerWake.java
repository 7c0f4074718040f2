package io.rapace.transport.shm;

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
 */
final class ProducerWake {

    private final RingRegion ring;
    private final WakeFlags flags;
    private final AtomicLong wakes = new AtomicLong();

    ProducerWake(RingRegion ring, WakeFlags flags) {
        this.ring = ring;
        this.flags = flags;
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
            // atomic add (in the kernel, FUTEX_WAKE_OP): makes a FUTEX_WAIT that has not yet compared fail with EAGAIN;
            // atomic because the consumer's transport also bumps it when it closes.
            Futex.bumpAndWake(ring.segment(), ring.wakeSeqOffset(), ring.wakeSeqWord(), 1);
            // lazySet: one writer at a time (the sender lock); readers need eventual values.
            wakes.lazySet(wakes.get() + 1);
            // plain: our own head (this side writes it). Past our first frame, the start-up's first exchange is over: the
            // JVM's warm-ups start here on a host, whose own loop sleeps in the kernel only a second into an idle period.
            if (Mem.getLong(ring.segment(), ring.visibleHeadOffset()) > 1) {
                FutexWarmUp.startOnce();
            }
        }
    }

    /** FUTEX_WAKE calls made (a consumer was waiting). */
    long wakes() {
        return wakes.get();
    }
}
