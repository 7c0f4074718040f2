package io.rapace.core.session;

import java.util.function.BooleanSupplier;

/**
 * How a thread about to wait on a unary call's future ({@code call(...).get()}, {@code join()}, a typed client's
 * {@code CompletableFuture}) first reads the ring for the answer itself, as a blocking caller does: the answer is
 * then read, and the future completed, by the thread that waits for it. Otherwise the receive loop reads it, a
 * callback thread completes the future and the waiting thread is woken: three threads per call, 20-40 µs at the
 * median next to a busy-polling peer on two cores. The session's {@link ReceiveRole} implements it; {@link #NONE}
 * never reads.
 */
interface FutureLead {

    /** No reading: the waiting thread only waits (sessions built without a ring, tests). */
    FutureLead NONE = new FutureLead() {

        @Override
        public void lead(BooleanSupplier ended, long deadline) {
        }

        @Override
        public void waiting(boolean begins) {
        }
    };

    /**
     * Reads the ring for everyone until {@code ended} holds, the reading went quiet for a while, or {@code deadline}
     * ({@link System#nanoTime()}) passed. Does nothing on a thread that reads the ring already (the receive loop, a
     * handler run by it): it would read inside its own read.
     */
    void lead(BooleanSupplier ended, long deadline);

    /**
     * The calling thread begins ({@code true}) or ends ({@code false}) waiting on a call's future without reading:
     * meanwhile the receive loop reads for it at once rather than after its step-aside.
     */
    void waiting(boolean begins);
}
