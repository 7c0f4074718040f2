package io.rapace.core.session;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import io.rapace.core.RapaceException;

/** A pending unary call; its future is completed on the callback executor, never on the receive loop. */
final class UnaryCall extends PendingCall {

    private final CompletableFuture<byte[]> future;

    private final Executor callbacks;

    UnaryCall(int channelId, int methodId, CompletableFuture<byte[]> future, Executor callbacks) {
        super(channelId, methodId);
        this.future = future;
        this.callbacks = callbacks;
    }

    void succeed(byte[] response) {
        this.callbacks.execute(() -> this.future.complete(response));
    }

    @Override
    void fail(RapaceException failure) {
        this.callbacks.execute(() -> this.future.completeExceptionally(failure));
    }
}
