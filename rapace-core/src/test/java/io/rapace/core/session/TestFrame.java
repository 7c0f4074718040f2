package io.rapace.core.session;

import java.lang.foreign.MemorySegment;

import io.rapace.transport.shm.Frame;
import io.rapace.transport.shm.layout.DescriptorLayout;

/** A received frame made up in a test, for the parts of the session that run without a transport. */
record TestFrame(int channelId, int methodId, int flags, long deadlineNs, byte[] bytes) implements Frame {

    static TestFrame of(int channelId, int methodId, int flags, byte[] payload) {
        return new TestFrame(channelId, methodId, flags, DescriptorLayout.NO_DEADLINE, payload);
    }

    @Override
    public long msgId() {
        return 0;
    }

    @Override
    public int payloadLength() {
        return this.bytes.length;
    }

    @Override
    public byte[] payloadBytes() {
        return this.bytes.clone();
    }

    @Override
    public void copyPayload(byte[] dst, int dstOffset) {
        System.arraycopy(this.bytes, 0, dst, dstOffset, this.bytes.length);
    }

    @Override
    public MemorySegment payload() {
        return MemorySegment.ofArray(this.bytes).asReadOnly();
    }

    @Override
    public boolean hasFlag(int flag) {
        return (this.flags & flag) == flag;
    }
}
