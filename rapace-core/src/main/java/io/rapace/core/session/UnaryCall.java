package io.rapace.core.session;

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

    /** The call's answer arrived; it has already been removed from the registry. */
    abstract void succeed(byte[] response);
}
