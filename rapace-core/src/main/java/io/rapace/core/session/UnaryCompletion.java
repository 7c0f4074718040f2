package io.rapace.core.session;

import io.rapace.core.RapaceException;

/**
 * Where the outcome of a unary call goes. Called exactly once, by whoever removed the call from the
 * registry: the receive loop (answer), the deadline, a send failure, a local cancel or close. So an
 * implementation must never block nor run code it does not control on the calling thread.
 */
sealed interface UnaryCompletion permits FutureCompletion, BlockingCompletion {

    /** The call's answer arrived. */
    void succeed(byte[] response);

    /** The call failed (peer error, deadline, cancel, session end). */
    void fail(RapaceException failure);
}
