package io.rapace.core.session;

import java.util.function.BooleanSupplier;

/**
 * How a handler thread that has just answered waits for the session's next request: by reading the ring for
 * everyone (leader/follower), so that a caller's next call to a blocking handler is received and served by that
 * one thread instead of being read by the receive loop and handed to a handler thread that must be woken and
 * given a core. Next to a busy-polling peer on a small machine the hand-off needed two runnable threads per call on
 * the one free core (a call took 6-8 µs at the median, where a handler on the receiving thread takes well under one).
 * The session's {@link HandlerReaders} implement it, with its {@link ReceiveRole}; {@link #NONE} never reads.
 */
interface HandlerLinger {

    /** No reading: handler threads go back to their pool at once (sessions built without a ring, tests). */
    HandlerLinger NONE = new HandlerLinger() {

        @Override
        public boolean handedOff() {
            return false;
        }

        @Override
        public boolean readForNext(BooleanSupplier claimed, boolean told) {
            return false;
        }
    };

    /**
     * The calling thread gives a call to a handler thread: returns whether that thread is to come and read once it
     * answered (pass it to {@link #readForNext}); if so, the receive loop leaves the ring to it for a short, bounded
     * while (a handler that runs longer loses nothing: the loop reads again after that while).
     */
    boolean handedOff();

    /**
     * Reads the ring for everyone until {@code claimed} holds (the router gave this thread the next request for a
     * blocking handler) or a short while passed with nothing arriving; returns whether it holds. {@code told}: the
     * hand-off of the call this thread just answered said to read ({@link #handedOff()}); without it the thread reads
     * only while reading pays lately.
     */
    boolean readForNext(BooleanSupplier claimed, boolean told);
}
