package io.rapace.core.session;

import java.time.Duration;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.transport.shm.BackpressureTimeoutException;
import io.rapace.transport.shm.PayloadTooLargeException;
import io.rapace.transport.shm.PeerDiedException;
import io.rapace.transport.shm.ShmException;
import io.rapace.transport.shm.ShmTransport;
import io.rapace.transport.shm.TransportClosedException;

/** The {@link SessionSender} over a {@link ShmTransport}, with the session's send timeout. */
final class TransportSender implements SessionSender {

    private final ShmTransport transport;

    private final long sendTimeoutNanos;

    private final Duration sendTimeout;

    TransportSender(ShmTransport transport, Duration sendTimeout) {
        this.transport = transport;
        this.sendTimeout = sendTimeout;
        this.sendTimeoutNanos = sendTimeout.toNanos();
    }

    @Override
    public void send(int channelId, int methodId, int flags, long deadlineNs, byte[] payload) {
        send(channelId, methodId, flags, deadlineNs, payload, payload.length);
    }

    @Override
    public void send(int channelId, int methodId, int flags, long deadlineNs, byte[] payload, int length) {
        try {
            this.transport.send(channelId, methodId, flags, deadlineNs, payload, 0, length, this.sendTimeoutNanos);
        }
        catch (BackpressureTimeoutException ex) {
            throw new RapaceException(ErrorCode.RESOURCE_EXHAUSTED, "send on channel " + Integer.toUnsignedString(channelId)
                    + " timed out after " + this.sendTimeout + " (ring full or no free slot): " + ex.getMessage(), ex);
        }
        catch (ShmException ex) {
            throw translate(ex, length);
        }
    }

    @Override
    public boolean trySend(int channelId, int methodId, int flags, long deadlineNs, byte[] payload) {
        try {
            this.transport.send(channelId, methodId, flags, deadlineNs, payload, 0, payload.length, 0);
            return true;
        }
        catch (BackpressureTimeoutException noRoomNow) {
            return false;
        }
        catch (ShmException ex) {
            throw translate(ex, payload.length);
        }
    }

    @Override
    public boolean sendWithin(int channelId, int methodId, int flags, long deadlineNs, byte[] payload, int length,
            long timeoutNanos) {
        try {
            this.transport.send(channelId, methodId, flags, deadlineNs, payload, 0, length, timeoutNanos);
            return true;
        }
        catch (BackpressureTimeoutException noRoomInTime) {
            return false;
        }
        catch (ShmException ex) {
            throw translate(ex, length);
        }
    }

    @Override
    public boolean sendRingFull() {
        var stats = this.transport.stats();
        return stats.sendRingOccupancy() >= stats.ringCapacity();
    }

    @Override
    public int maxPayloadLength() {
        return this.transport.config().slotSize();
    }

    private static RapaceException translate(ShmException ex, int length) {
        return switch (ex) {
            case PayloadTooLargeException tooLarge -> new RapaceException(ErrorCode.RESOURCE_EXHAUSTED, "payload of "
                    + length + " bytes does not fit one frame: " + tooLarge.getMessage(), tooLarge);
            case TransportClosedException closed -> new RapaceException(ErrorCode.SESSION_CLOSED, "transport closed: "
                    + closed.getMessage(), closed);
            case PeerDiedException died -> new RapaceException(ErrorCode.PEER_DIED, "peer died: " + died.getMessage(), died);
            default -> new RapaceException(ErrorCode.UNAVAILABLE, "send failed: " + ex.getMessage(), ex);
        };
    }
}
