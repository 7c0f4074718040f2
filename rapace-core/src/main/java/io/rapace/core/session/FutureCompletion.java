package io.rapace.core.session;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import io.rapace.core.RapaceException;

/**
 * Completes a caller's {@link CompletableFuture} on the callback executor: the caller's dependent
 * stages (user code) then run there, never on the receive loop.
 */
record FutureCompletion(CompletableFuture<byte[]> future, Executor callbacks) implements UnaryCompletion {

    @Override
    public void succeed(byte[] response) {
        this.callbacks.execute(() -> this.future.complete(response));
    }

    @Override
    public void fail(RapaceException failure) {
        this.callbacks.execute(() -> this.future.completeExceptionally(failure));
    }
}
