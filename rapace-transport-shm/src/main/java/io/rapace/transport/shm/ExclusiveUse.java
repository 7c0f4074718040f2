package io.rapace.transport.shm;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * One thread at a time in one use of a transport (consuming its ring, sleeping on that ring's futex word),
 * enforced: a second thread is refused with a message naming the use, and {@code close()} waits for the user to
 * leave before it unmaps the segment.
 */
final class ExclusiveUse {

    /** How often {@link #awaitVacant} looks again. */
    private static final long LOOK_NANOS = 100_000;

    /** The thread in the use now, if any. */
    private final AtomicReference<@Nullable Thread> user = new AtomicReference<>();

    /** The message of the refusal, built once. */
    private final String refusal;

    ExclusiveUse(String refusal) {
        this.refusal = refusal;
    }

    /**
     * Claims the use for the calling thread.
     *
     * @throws IllegalStateException when another thread has it
     */
    void enter() {
        // CAS: of two threads entering at once exactly one wins; a full fence, as the entry needs no other.
        if (!user.compareAndSet(null, Thread.currentThread())) {
            throw new IllegalStateException(refusal);
        }
    }

    /** Claims the use for the calling thread if nobody has it; false when another thread (or this one) has it. */
    boolean tryEnter() {
        // CAS, as in enter().
        return user.compareAndSet(null, Thread.currentThread());
    }

    /** Gives the use up; by the thread that entered. */
    void leave() {
        // release: pairs with the next user's CAS and with awaitVacant's read, which then see every access made in
        // the use completed (close() unmaps only after).
        user.setRelease(null);
    }

    /** Waits until no other thread has the use, or the deadline passes (the calling thread's own use is no wait). */
    void awaitVacant(long deadline) {
        Thread current = Thread.currentThread();
        for (Thread holder = user.get(); holder != null && holder != current && System.nanoTime() - deadline < 0;
                holder = user.get()) {
            LockSupport.parkNanos(LOOK_NANOS);
        }
    }
}
