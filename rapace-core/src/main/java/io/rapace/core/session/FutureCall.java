package io.rapace.core.session;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import io.rapace.core.RapaceException;

/**
 * A unary call answered through the caller's {@link CompletableFuture}, completed on the callback executor: the
 * caller's dependent stages (user code) then run there, never on the receive loop.
 */
final class FutureCall extends UnaryCall {

    private final CompletableFuture<byte[]> future;

    private final Executor callbacks;

    FutureCall(int channelId, int methodId, long timeoutNanos, CompletableFuture<byte[]> future, Executor callbacks) {
        super(channelId, methodId, timeoutNanos);
        this.future = future;
        this.callbacks = callbacks;
    }

    @Override
    void succeed(byte[] response) {
        this.callbacks.execute(() -> this.future.complete(response));
    }

    @Override
    void fail(RapaceException failure) {
        this.callbacks.execute(() -> this.future.completeExceptionally(failure));
    }
}
