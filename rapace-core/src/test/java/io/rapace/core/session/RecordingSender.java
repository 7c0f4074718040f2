package io.rapace.core.session;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.rapace.core.RapaceException;
import org.jspecify.annotations.Nullable;

/** A {@link SessionSender} that records what it is asked to send, and can be told to fail. */
final class RecordingSender implements SessionSender {

    /** One recorded send. */
    record Sent(int channelId, int methodId, int flags, long deadlineNs, byte[] payload) {
    }

    final List<Sent> sent = new CopyOnWriteArrayList<>();

    private final int maxPayloadLength;

    volatile @Nullable RapaceException failWith;

    RecordingSender(int maxPayloadLength) {
        this.maxPayloadLength = maxPayloadLength;
    }

    @Override
    public void send(int channelId, int methodId, int flags, long deadlineNs, byte[] payload) {
        RapaceException failure = this.failWith;
        if (failure != null) {
            throw failure;
        }
        this.sent.add(new Sent(channelId, methodId, flags, deadlineNs, payload.clone()));
    }

    @Override
    public void send(int channelId, int methodId, int flags, long deadlineNs, byte[] payload, int length) {
        send(channelId, methodId, flags, deadlineNs, java.util.Arrays.copyOf(payload, length));
    }

    /** When set, {@link #trySend} reports no room (and records nothing). */
    volatile boolean full;

    @Override
    public boolean trySend(int channelId, int methodId, int flags, long deadlineNs, byte[] payload) {
        if (this.full) {
            return false;
        }
        send(channelId, methodId, flags, deadlineNs, payload);
        return true;
    }

    @Override
    public boolean sendWithin(int channelId, int methodId, int flags, long deadlineNs, byte[] payload, int length,
            long timeoutNanos) {
        if (this.full) {
            // As a transport does: wait (briefly here) for room that does not come.
            java.util.concurrent.locks.LockSupport.parkNanos(Math.min(timeoutNanos, 5_000_000L));
            if (this.full) {
                return false;
            }
        }
        send(channelId, methodId, flags, deadlineNs, payload, length);
        return true;
    }

    @Override
    public boolean sendRingFull() {
        return this.full;
    }

    @Override
    public int maxPayloadLength() {
        return this.maxPayloadLength;
    }
}
