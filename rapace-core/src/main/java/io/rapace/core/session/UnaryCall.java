package io.rapace.core.session;

import io.rapace.transport.shm.Frame;
import org.jspecify.annotations.Nullable;

/**
 * A pending unary call: one answer ends it. Sealed over the two ways a caller waits for that answer, each of
 * them the call object itself so that a call allocates one object, not a call and a completion: a blocked
 * caller's thread ({@link BlockingCall}, woken directly) or a caller's future ({@link FutureCall}, completed on
 * the callback executor, never on the receive loop). Whoever removed the call from the registry ends it,
 * exactly once, and must never block nor run code it does not control on its own thread.
 */
abstract sealed class UnaryCall extends PendingCall permits BlockingCall, FutureCall {

    UnaryCall(int channelId, int methodId, long timeoutNanos) {
        super(channelId, methodId, timeoutNanos);
    }

    /**
     * The answer carried by {@code frame}, read while the frame is held and before the call leaves the registry.
     *
     * @throws io.rapace.core.RapaceException when the answer does not decode
     */
    abstract @Nullable Object answerOf(Frame frame);

    /** The call's answer ({@link #answerOf}) arrived; the call has already been removed from the registry. */
    abstract void succeed(@Nullable Object answer);
}
