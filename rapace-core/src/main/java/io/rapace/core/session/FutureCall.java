package io.rapace.core.session;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import io.rapace.core.RapaceException;
import io.rapace.transport.shm.Frame;
import org.jspecify.annotations.Nullable;

/**
 * A unary call answered through the caller's {@link CompletableFuture}, completed on the callback executor: the
 * caller's dependent stages (user code) then run there, never on the receive loop. The call is itself the task
 * handed to that executor (no capturing lambda per answer).
 */
final class FutureCall extends UnaryCall implements Runnable {

    private final CompletableFuture<byte[]> future;

    private final Executor callbacks;

    /*
     * The answer or the failure (exactly one is set), stored once by whoever ended the call, before it hands this
     * call to the callback executor: Executor.execute publishes them to run() (actions before a submission
     * happen-before the task runs).
     */
    private byte @Nullable [] answer;

    private @Nullable RapaceException failure;

    FutureCall(int channelId, int methodId, long timeoutNanos, CompletableFuture<byte[]> future, Executor callbacks) {
        super(channelId, methodId, timeoutNanos);
        this.future = future;
        this.callbacks = callbacks;
    }

    @Override
    byte[] answerOf(Frame frame) {
        return ClientCalls.payloadOf(frame);
    }

    @Override
    void succeed(@Nullable Object answer) {
        this.answer = (byte[]) answer;
        this.callbacks.execute(this);
    }

    @Override
    void fail(RapaceException failure) {
        this.failure = failure;
        this.callbacks.execute(this);
    }

    /** Completes the future with the stored answer or failure; on the callback executor. */
    @Override
    public void run() {
        RapaceException failed = this.failure;
        if (failed != null) {
            this.future.completeExceptionally(failed);
        }
        else {
            this.future.complete(this.answer);
        }
    }
}
