package io.rapace.transport.shm;

/** Live counters and gauges of one transport; every call reads the current value. */
public interface TransportStats {

    /** Frames this side has enqueued. */
    long framesSent();

    /** Payload bytes this side has enqueued. */
    long bytesSent();

    /** Valid frames handed to a handler. */
    long framesReceived();

    /** Payload bytes of the frames handed to a handler. */
    long bytesReceived();

    /** Invalid descriptors dropped (spec §2 "invalid"). */
    long invalidFrames();

    /**
     * Times the peer's {@code visible_head} of the ring this side reads was found more than the ring's
     * capacity ahead of our tail, or behind it (a protocol violation; counted once per episode).
     */
    long invalidHeads();

    /** Descriptors in the ring this side writes, not yet consumed by the peer (0 once closed). */
    int sendRingOccupancy();

    /** Descriptors in the ring this side reads, not yet consumed (0 once closed). */
    int receiveRingOccupancy();

    /** Ring capacity of the segment. */
    int ringCapacity();

    /** Slots not Free, allocated by either peer (0 once closed). */
    int slotsInUse();

    /** Slots in the pool. */
    int slotCount();
}
