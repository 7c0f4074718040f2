package io.rapace.core.session;

/**
 * How the session's parts send frames: one frame at a time, transport failures translated into
 * {@link io.rapace.core.RapaceException}s (the transport's own sending half, slot allocation and ring enqueue, is
 * {@code io.rapace.transport.shm.FrameSender}). {@link TransportSender} sends over the session's transport; tests
 * record instead. Thread-safe.
 */
interface SessionSender {

    /**
     * Sends one frame.
     *
     * @throws io.rapace.core.RapaceException {@code RESOURCE_EXHAUSTED} when the ring stayed full or no
     *     slot was free for the send timeout, or the payload is larger than a slot; {@code SESSION_CLOSED}
     *     when the transport is closed; {@code PEER_DIED} when the peer is dead; {@code UNAVAILABLE} for
     *     any other transport failure
     */
    void send(int channelId, int methodId, int flags, long deadlineNs, byte[] payload);

    /** Sends one frame whose payload is {@code payload[0, length)}; otherwise as {@link #send(int, int, int, long, byte[])}. */
    void send(int channelId, int methodId, int flags, long deadlineNs, byte[] payload, int length);

    /**
     * Sends one frame only if the ring and, for a large payload, a slot have room right now; never waits.
     *
     * @return true when sent, false when there was no room (nothing was sent)
     * @throws io.rapace.core.RapaceException as {@link #send}, except that a lack of room is not an error
     */
    boolean trySend(int channelId, int methodId, int flags, long deadlineNs, byte[] payload);

    /**
     * Sends one frame whose payload is {@code payload[0, length)}, waiting up to {@code timeoutNanos} for ring
     * space and, for a large payload, a slot (0: not at all).
     *
     * @return true when sent, false when no room came in time (nothing was sent)
     * @throws io.rapace.core.RapaceException as {@link #send}, except that a lack of room is not an error
     */
    boolean sendWithin(int channelId, int methodId, int flags, long deadlineNs, byte[] payload, int length, long timeoutNanos);

    /** Whether the ring this side writes is full right now (the peer is not reading); false once closed. */
    boolean sendRingFull();

    /** The largest payload one frame can carry (the slot size). */
    int maxPayloadLength();
}
