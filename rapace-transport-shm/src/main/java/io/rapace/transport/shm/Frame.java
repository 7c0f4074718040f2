package io.rapace.transport.shm;

import java.lang.foreign.MemorySegment;

import io.rapace.transport.shm.layout.DescriptorLayout;

/**
 * A received frame: a flyweight over the descriptor and payload in shared memory, valid only inside
 * {@link FrameHandler#onFrame}. Using it afterwards throws {@link IllegalStateException}.
 */
public interface Frame {

    /** The sender's message counter (a Rust peer sends 0 in responses). */
    long msgId();

    /** The channel id, 0 for the control channel. */
    int channelId();

    /** The method id of a request, the control verb on channel 0, 0 in responses. */
    int methodId();

    /** The {@link FrameFlags} bits. */
    int flags();

    /** Deadline in nanoseconds, or {@link DescriptorLayout#NO_DEADLINE}. */
    long deadlineNs();

    /** Payload length in bytes. */
    int payloadLength();

    /** A fresh copy of the payload. */
    byte[] payloadBytes();

    /** Copies the payload into {@code dst} at {@code dstOffset}. */
    void copyPayload(byte[] dst, int dstOffset);

    /** A read-only view of the payload in shared memory; valid only during {@code onFrame}. */
    MemorySegment payload();

    /** Whether every bit of {@code flag} is set. */
    boolean hasFlag(int flag);
}
