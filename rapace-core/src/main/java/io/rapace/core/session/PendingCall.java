package io.rapace.core.session;

import java.util.concurrent.ScheduledFuture;

import io.rapace.core.RapaceException;
import org.jspecify.annotations.Nullable;

/**
 * An outgoing call waiting for its answer. Whoever removes it from the {@link ClientCalls} registry
 * (the receive loop on an answer, the deadline timer, a send failure, close) ends it, exactly once.
 */
abstract sealed class PendingCall permits UnaryCall, StreamCall {

    private final int channelId;

    private final int methodId;

    private final long startNanos;

    /** Set once after registration; volatile because the receive loop may cancel it concurrently. */
    private volatile @Nullable ScheduledFuture<?> deadlineTimer;

    PendingCall(int channelId, int methodId) {
        this.channelId = channelId;
        this.methodId = methodId;
        this.startNanos = System.nanoTime();
    }

    final int channelId() {
        return this.channelId;
    }

    final int methodId() {
        return this.methodId;
    }

    final long startNanos() {
        return this.startNanos;
    }

    final void deadlineTimer(ScheduledFuture<?> timer) {
        this.deadlineTimer = timer;
    }

    final void cancelDeadlineTimer() {
        ScheduledFuture<?> timer = this.deadlineTimer;
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** Ends the call with an error; it has already been removed from the registry. */
    abstract void fail(RapaceException failure);
}
