package io.rapace.core.session;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.rapace.transport.shm.ShmTransport;
import io.rapace.transport.shm.layout.DescriptorLayout;

/**
 * The far side of a session driven frame by frame from the test thread, standing in for a peer that
 * behaves like the Rust reference (msg_id chosen by the transport, method_id 0 in answers).
 */
final class RawPeer {

    /** One received frame, copied. */
    record Received(int channelId, int methodId, int flags, long deadlineNs, byte[] payload) {

        boolean has(int flag) {
            return (this.flags & flag) == flag;
        }
    }

    private static final long SEND_TIMEOUT = TimeUnit.SECONDS.toNanos(10);

    final ShmTransport transport;

    RawPeer(ShmTransport transport) {
        this.transport = transport;
    }

    /** Waits up to {@code timeout} for the next frame. */
    Received next(Duration timeout) {
        Received[] out = new Received[1];
        long deadline = System.nanoTime() + timeout.toNanos();
        while (out[0] == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no frame within " + timeout);
            }
            this.transport.receive(frame -> out[0] = new Received(frame.channelId(), frame.methodId(), frame.flags(),
                    frame.deadlineNs(), frame.payloadBytes()), 1, left);
        }
        return out[0];
    }

    void send(int channelId, int methodId, int flags, byte[] payload) {
        this.transport.send(channelId, methodId, flags, DescriptorLayout.NO_DEADLINE, payload, 0, payload.length, SEND_TIMEOUT);
    }
}
