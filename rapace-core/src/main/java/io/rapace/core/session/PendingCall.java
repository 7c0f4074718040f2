package io.rapace.core.session;

import io.rapace.core.RapaceException;

/**
 * An outgoing call waiting for its answer. Whoever removes it from the {@link ClientCalls} registry
 * (the receive loop on an answer, the deadline sweep, a send failure, a local cancel, close) ends it,
 * exactly once.
 */
abstract sealed class PendingCall permits UnaryCall, StreamCall {

    private final int channelId;

    private final int methodId;

    private final long startNanos;

    private final long timeoutNanos;

    PendingCall(int channelId, int methodId, long timeoutNanos) {
        this.channelId = channelId;
        this.methodId = methodId;
        this.startNanos = System.nanoTime();
        this.timeoutNanos = timeoutNanos;
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

    final long timeoutNanos() {
        return this.timeoutNanos;
    }

    /** When the call expires, {@link System#nanoTime()} (compare by subtraction: it may wrap). */
    final long deadline() {
        return this.startNanos + this.timeoutNanos;
    }

    /** Ends the call with an error; it has already been removed from the registry. */
    abstract void fail(RapaceException failure);
}
