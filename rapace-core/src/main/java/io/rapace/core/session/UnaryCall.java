package io.rapace.core.session;

import io.rapace.core.RapaceException;

/**
 * A pending unary call; its outcome goes to a {@link UnaryCompletion}: a caller's future (completed on
 * the callback executor, never on the receive loop) or a blocked caller (woken directly).
 */
final class UnaryCall extends PendingCall {

    private final UnaryCompletion completion;

    UnaryCall(int channelId, int methodId, long timeoutNanos, UnaryCompletion completion) {
        super(channelId, methodId, timeoutNanos);
        this.completion = completion;
    }

    void succeed(byte[] response) {
        this.completion.succeed(response);
    }

    @Override
    void fail(RapaceException failure) {
        this.completion.fail(failure);
    }
}
