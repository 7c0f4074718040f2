package io.rapace.transport.shm;

import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * A receive parked by the idle strategy that another thread may cut short: the counterpart, without the wake
 * extension, of a sleep in the kernel that {@link ShmTransport#wakeSleepingReceive()} nudges. A blocking caller
 * that wants to read its own answer while the session's receive loop idles in {@link ShmTransport#receive} (a v1.0
 * peer, which never wakes anyone) unparks the loop, which gives the ring back at once instead of at the end of a park
 * of up to 4 ms: the answer then costs the caller no wake-up of its own after the loop's.
 *
 * <p>Used by the one receiving thread ({@link #park}) and by any thread ({@link #nudge}). A nudge that comes just
 * after a park ended makes the next park return at once: one receive turn that ends early, which is harmless.
 */
final class ParkedReceive {

    private final IdleStrategy idle;

    /** The receiving thread while it parks, else null: volatile, read by nudgers. */
    private volatile @Nullable Thread parked;

    /** Set by a nudge, taken by the receiving thread after its park. */
    private volatile boolean nudged;

    ParkedReceive(IdleStrategy idle) {
        this.idle = idle;
    }

    /**
     * One idle round of the strategy in its parking phase, which a {@link #nudge} ends early.
     *
     * @return whether a nudge came (the receive should return and leave the ring to the nudger)
     */
    boolean park() {
        // volatile store, then volatile load of nudged: the nudger does the mirror (load parked after its store of
        // nudged), so either it sees this thread parked and unparks it, or this thread sees its nudge and skips
        // the park.
        this.parked = Thread.currentThread();
        try {
            if (!this.nudged) {
                this.idle.idle(0);
            }
        }
        finally {
            this.parked = null;
        }
        if (!this.nudged) {
            return false;
        }
        this.nudged = false;
        return true;
    }

    /**
     * Cuts short the park of a receive parked now; does nothing (and makes no system call) otherwise.
     *
     * @return whether a receive was parked and has been unparked
     */
    boolean nudge() {
        Thread receiving = this.parked;
        if (receiving == null) {
            return false;
        }
        this.nudged = true;
        LockSupport.unpark(receiving);
        return true;
    }
}
