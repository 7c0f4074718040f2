package io.rapace.transport.shm;

import java.util.function.IntSupplier;

/**
 * A transport's {@link TransportStats}: counters from its sender and receiver, gauges read from the segment while it
 * is mapped (0 once it is closed, or when a reading meets the mapping being released).
 */
final class LiveTransportStats implements TransportStats {

    private final FrameSender sender;
    private final FrameReceiver receiver;
    private final SlotPool slots;
    private final ShmConfig config;
    private final Lifecycle lifecycle;

    LiveTransportStats(FrameSender sender, FrameReceiver receiver, SlotPool slots, ShmConfig config,
            Lifecycle lifecycle) {
        this.sender = sender;
        this.receiver = receiver;
        this.slots = slots;
        this.config = config;
        this.lifecycle = lifecycle;
    }

    @Override
    public long framesSent() {
        return this.sender.framesSent();
    }

    @Override
    public long bytesSent() {
        return this.sender.bytesSent();
    }

    @Override
    public long framesReceived() {
        return this.receiver.framesReceived();
    }

    @Override
    public long bytesReceived() {
        return this.receiver.bytesReceived();
    }

    @Override
    public long invalidFrames() {
        return this.receiver.invalidFrames();
    }

    @Override
    public long invalidHeads() {
        return this.receiver.invalidHeads();
    }

    @Override
    public int sendRingOccupancy() {
        return gauge(this.sender::ringOccupancy);
    }

    @Override
    public int receiveRingOccupancy() {
        return gauge(this.receiver::ringOccupancy);
    }

    @Override
    public int ringCapacity() {
        return this.config.ringCapacity();
    }

    @Override
    public int slotsInUse() {
        return gauge(this.slots::inUse);
    }

    @Override
    public int slotCount() {
        return this.config.slotCount();
    }

    private int gauge(IntSupplier reading) {
        if (this.lifecycle.isClosed()) {
            return 0;
        }
        try {
            return reading.getAsInt();
        }
        catch (IllegalStateException ex) {
            return 0;
        }
    }

    @Override
    public String toString() {
        return "TransportStats[sent=" + framesSent() + "/" + bytesSent() + "B, received=" + framesReceived() + "/"
                + bytesReceived() + "B, invalid=" + invalidFrames() + ", slotsInUse=" + slotsInUse() + "/"
                + slotCount() + "]";
    }
}
