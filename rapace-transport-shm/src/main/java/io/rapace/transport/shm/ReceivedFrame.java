package io.rapace.transport.shm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

import io.rapace.transport.shm.layout.DescriptorLayout;

/**
 * The one reusable {@link Frame} of a transport's consumer: loaded from a descriptor in the receive
 * ring, handed to the handler, then invalidated. Allocates nothing unless the handler asks for a copy
 * or a view.
 */
final class ReceivedFrame implements Frame {

    /** The longest payload {@link #copyOut} copies byte by byte: an inline one's. */
    private static final int BYTEWISE_COPY_MAX = DescriptorLayout.INLINE_CAPACITY;

    private final MemorySegment segment;

    private long msgId;
    private int channelId;
    private int methodId;
    private int slot;
    private int generation;
    private int payloadOffset;
    private int payloadLength;
    private int flags;
    private long deadlineNs;
    private long descriptorOffset;
    /** Absolute offset of the payload in the segment; meaningful only once validated. */
    private long payloadAddress;
    private boolean active;

    ReceivedFrame(MemorySegment segment) {
        this.segment = segment;
    }

    /** Reads every field of the descriptor at {@code offset} (plain loads: the ring's acquire covers them). */
    void load(long offset) {
        descriptorOffset = offset;
        msgId = Mem.getLong(segment, offset + DescriptorLayout.MSG_ID_OFFSET);
        channelId = Mem.getInt(segment, offset + DescriptorLayout.CHANNEL_ID_OFFSET);
        methodId = Mem.getInt(segment, offset + DescriptorLayout.METHOD_ID_OFFSET);
        slot = Mem.getInt(segment, offset + DescriptorLayout.PAYLOAD_SLOT_OFFSET);
        generation = Mem.getInt(segment, offset + DescriptorLayout.PAYLOAD_GENERATION_OFFSET);
        payloadOffset = Mem.getInt(segment, offset + DescriptorLayout.PAYLOAD_OFFSET_OFFSET);
        payloadLength = Mem.getInt(segment, offset + DescriptorLayout.PAYLOAD_LEN_OFFSET);
        flags = Mem.getInt(segment, offset + DescriptorLayout.FLAGS_OFFSET);
        deadlineNs = Mem.getLong(segment, offset + DescriptorLayout.DEADLINE_NS_OFFSET);
    }

    /** Opens the frame for the handler, its payload at {@code address} of the segment. */
    void activate(long address) {
        payloadAddress = address;
        active = true;
    }

    void deactivate() {
        active = false;
    }

    boolean isInline() {
        return slot == DescriptorLayout.INLINE_SLOT;
    }

    int slot() {
        return slot;
    }

    int generation() {
        return generation;
    }

    int rawPayloadOffset() {
        return payloadOffset;
    }

    int rawPayloadLength() {
        return payloadLength;
    }

    long descriptorOffset() {
        return descriptorOffset;
    }

    @Override
    public long msgId() {
        checkActive();
        return msgId;
    }

    @Override
    public int channelId() {
        checkActive();
        return channelId;
    }

    @Override
    public int methodId() {
        checkActive();
        return methodId;
    }

    @Override
    public int flags() {
        checkActive();
        return flags;
    }

    @Override
    public long deadlineNs() {
        checkActive();
        return deadlineNs;
    }

    @Override
    public int payloadLength() {
        checkActive();
        return payloadLength;
    }

    @Override
    public byte[] payloadBytes() {
        checkActive();
        byte[] copy = new byte[payloadLength];
        copyOut(copy, 0);
        return copy;
    }

    @Override
    public void copyPayload(byte[] dst, int dstOffset) {
        checkActive();
        Objects.checkFromIndexSize(dstOffset, payloadLength, dst.length);
        copyOut(dst, dstOffset);
    }

    /**
     * Copies the payload to {@code dst} at {@code dstOffset} (room checked by the caller). A payload of at most
     * {@value #BYTEWISE_COPY_MAX} bytes (every inline one) byte by byte: {@code MemorySegment.copy}'s fixed cost, about
     * 0.13 µs per call measured in the sample plugin (a nanoTime probe around it), is most of a tiny request's way to
     * its handler there.
     */
    private void copyOut(byte[] dst, int dstOffset) {
        if (payloadLength <= BYTEWISE_COPY_MAX) {
            for (int i = 0; i < payloadLength; i++) {
                dst[dstOffset + i] = segment.get(ValueLayout.JAVA_BYTE, payloadAddress + i);
            }
        }
        else {
            MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, payloadAddress, dst, dstOffset, payloadLength);
        }
    }

    @Override
    public MemorySegment payload() {
        checkActive();
        return segment.asSlice(payloadAddress, payloadLength).asReadOnly();
    }

    @Override
    public boolean hasFlag(int flag) {
        checkActive();
        return (flags & flag) == flag;
    }

    @Override
    public String toString() {
        return "Frame[msg_id=" + Long.toUnsignedString(msgId) + ", channel_id=" + Integer.toUnsignedString(channelId)
                + ", method_id=" + Integer.toUnsignedString(methodId) + ", flags=" + FrameFlags.describe(flags)
                + ", payload_len=" + payloadLength + (isInline() ? " inline" : " in slot " + slot) + "]";
    }

    private void checkActive() {
        if (!active) {
            throw new IllegalStateException("frame used outside FrameHandler.onFrame; copy what you need inside it");
        }
    }
}
