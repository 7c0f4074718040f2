package io.rapace.core.session;

import io.rapace.core.RapaceException;

/**
 * An outgoing call waiting for its answer. Whoever removes it from the {@link ClientCalls} registry
 * (the receive loop on an answer, the deadline sweep, a send failure, a local cancel, close) ends it,
 * exactly once.
 */
abstract sealed class PendingCall permits UnaryCall, StreamCall {

    /*
     * Set at construction, and again by restart() for a blocking call that its thread reuses once it ended, always
     * before the call is registered: the registry's monitor publishes them to the threads that find the call there.
     * A thread that found the call earlier may read a later call's values; it only acts on a call it removes from the
     * registry under the channel it found it on (ClientCalls.finish), which proves the call was not restarted since.
     */
    private int channelId;

    private int methodId;

    private long startNanos;

    private long timeoutNanos;

    PendingCall(int channelId, int methodId, long timeoutNanos) {
        restart(channelId, methodId, timeoutNanos);
    }

    /** Makes this a new call (the clock read is its start); only before it is registered. */
    final void restart(int channelId, int methodId, long timeoutNanos) {
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
