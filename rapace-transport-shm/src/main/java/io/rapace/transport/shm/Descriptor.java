package io.rapace.transport.shm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

import io.rapace.transport.shm.layout.DescriptorLayout;

/**
 * Every field of one 64-byte frame descriptor ({@code MsgDescHot}, spec §2), as a value. u32 fields
 * are held in {@code int}s and u64 fields in {@code long}s, bit for bit. The transport's hot path
 * reads and writes descriptors in place; this type is for tests, tools and diagnostics.
 *
 * @param msgId sender's counter
 * @param channelId channel, 0 = control
 * @param methodId method id, control verb, or 0 in responses
 * @param payloadSlot slot index or {@link DescriptorLayout#INLINE_SLOT}
 * @param payloadGeneration slot generation at allocation, 0 when inline
 * @param payloadOffset offset inside the slot
 * @param payloadLength payload length in bytes
 * @param flags {@link FrameFlags} bits
 * @param creditGrant 0 in v1.0
 * @param deadlineNs deadline or {@link DescriptorLayout#NO_DEADLINE}
 * @param inlinePayload exactly {@link DescriptorLayout#INLINE_CAPACITY} bytes (copied in and out)
 */
public record Descriptor(long msgId, int channelId, int methodId, int payloadSlot, int payloadGeneration,
        int payloadOffset, int payloadLength, int flags, int creditGrant, long deadlineNs, byte[] inlinePayload) {

    /** Checks the inline array length and copies it. */
    public Descriptor {
        Objects.requireNonNull(inlinePayload, "inlinePayload");
        if (inlinePayload.length != DescriptorLayout.INLINE_CAPACITY) {
            throw new IllegalArgumentException("inlinePayload length=" + inlinePayload.length + " must be "
                    + DescriptorLayout.INLINE_CAPACITY);
        }
        inlinePayload = inlinePayload.clone();
    }

    /** An inline descriptor carrying {@code payload} (at most 16 bytes), zero-padded. */
    public static Descriptor inline(long msgId, int channelId, int methodId, int flags, long deadlineNs,
            byte[] payload) {
        if (payload.length > DescriptorLayout.INLINE_CAPACITY) {
            throw new IllegalArgumentException("inline payload length=" + payload.length + " exceeds "
                    + DescriptorLayout.INLINE_CAPACITY);
        }
        return new Descriptor(msgId, channelId, methodId, DescriptorLayout.INLINE_SLOT, 0, 0, payload.length, flags, 0,
                deadlineNs, Arrays.copyOf(payload, DescriptorLayout.INLINE_CAPACITY));
    }

    /** Reads the 64 bytes at {@code offset} of {@code segment}. */
    public static Descriptor readFrom(MemorySegment segment, long offset) {
        byte[] inline = new byte[DescriptorLayout.INLINE_CAPACITY];
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset + DescriptorLayout.INLINE_PAYLOAD_OFFSET, inline,
                0, DescriptorLayout.INLINE_CAPACITY);
        return new Descriptor(
                Mem.getLong(segment, offset + DescriptorLayout.MSG_ID_OFFSET),
                Mem.getInt(segment, offset + DescriptorLayout.CHANNEL_ID_OFFSET),
                Mem.getInt(segment, offset + DescriptorLayout.METHOD_ID_OFFSET),
                Mem.getInt(segment, offset + DescriptorLayout.PAYLOAD_SLOT_OFFSET),
                Mem.getInt(segment, offset + DescriptorLayout.PAYLOAD_GENERATION_OFFSET),
                Mem.getInt(segment, offset + DescriptorLayout.PAYLOAD_OFFSET_OFFSET),
                Mem.getInt(segment, offset + DescriptorLayout.PAYLOAD_LEN_OFFSET),
                Mem.getInt(segment, offset + DescriptorLayout.FLAGS_OFFSET),
                Mem.getInt(segment, offset + DescriptorLayout.CREDIT_GRANT_OFFSET),
                Mem.getLong(segment, offset + DescriptorLayout.DEADLINE_NS_OFFSET),
                inline);
    }

    /** Decodes a 64-byte array (the encoding is little-endian whatever the platform). */
    public static Descriptor decode(byte[] bytes) {
        if (bytes.length != DescriptorLayout.LENGTH) {
            throw new IllegalArgumentException("descriptor length=" + bytes.length + " must be "
                    + DescriptorLayout.LENGTH);
        }
        MemorySegment aligned = MemorySegment.ofArray(new long[DescriptorLayout.LENGTH / Long.BYTES]);
        MemorySegment.copy(bytes, 0, aligned, ValueLayout.JAVA_BYTE, 0, DescriptorLayout.LENGTH);
        return readFrom(aligned, 0);
    }

    /** Writes all 64 bytes at {@code offset} of {@code segment} (plain stores; publishing is the ring's job). */
    public void writeTo(MemorySegment segment, long offset) {
        Mem.putLong(segment, offset + DescriptorLayout.MSG_ID_OFFSET, msgId);
        Mem.putInt(segment, offset + DescriptorLayout.CHANNEL_ID_OFFSET, channelId);
        Mem.putInt(segment, offset + DescriptorLayout.METHOD_ID_OFFSET, methodId);
        Mem.putInt(segment, offset + DescriptorLayout.PAYLOAD_SLOT_OFFSET, payloadSlot);
        Mem.putInt(segment, offset + DescriptorLayout.PAYLOAD_GENERATION_OFFSET, payloadGeneration);
        Mem.putInt(segment, offset + DescriptorLayout.PAYLOAD_OFFSET_OFFSET, payloadOffset);
        Mem.putInt(segment, offset + DescriptorLayout.PAYLOAD_LEN_OFFSET, payloadLength);
        Mem.putInt(segment, offset + DescriptorLayout.FLAGS_OFFSET, flags);
        Mem.putInt(segment, offset + DescriptorLayout.CREDIT_GRANT_OFFSET, creditGrant);
        Mem.putLong(segment, offset + DescriptorLayout.DEADLINE_NS_OFFSET, deadlineNs);
        MemorySegment.copy(inlinePayload, 0, segment, ValueLayout.JAVA_BYTE,
                offset + DescriptorLayout.INLINE_PAYLOAD_OFFSET, DescriptorLayout.INLINE_CAPACITY);
    }

    /** Encodes to a fresh 64-byte array. */
    public byte[] encode() {
        // A long[]-backed segment: the u64 fields need 8-byte alignment, which a byte[] does not give.
        MemorySegment aligned = MemorySegment.ofArray(new long[DescriptorLayout.LENGTH / Long.BYTES]);
        writeTo(aligned, 0);
        return aligned.toArray(ValueLayout.JAVA_BYTE);
    }

    /** Whether the payload is inline. */
    public boolean isInline() {
        return payloadSlot == DescriptorLayout.INLINE_SLOT;
    }

    /** A copy of the 16 inline bytes. */
    @Override
    public byte[] inlinePayload() {
        return inlinePayload.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Descriptor d && msgId == d.msgId && channelId == d.channelId
                && methodId == d.methodId && payloadSlot == d.payloadSlot
                && payloadGeneration == d.payloadGeneration && payloadOffset == d.payloadOffset
                && payloadLength == d.payloadLength && flags == d.flags && creditGrant == d.creditGrant
                && deadlineNs == d.deadlineNs && Arrays.equals(inlinePayload, d.inlinePayload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(msgId, channelId, methodId, payloadSlot, payloadGeneration, payloadOffset, payloadLength,
                flags, creditGrant, deadlineNs, Arrays.hashCode(inlinePayload));
    }

    @Override
    public String toString() {
        return "Descriptor[msg_id=" + Long.toUnsignedString(msgId) + ", channel_id="
                + Integer.toUnsignedString(channelId) + ", method_id=" + Integer.toUnsignedString(methodId)
                + ", payload_slot=" + (isInline() ? "inline" : Integer.toUnsignedString(payloadSlot))
                + ", payload_generation=" + Integer.toUnsignedString(payloadGeneration)
                + ", payload_offset=" + Integer.toUnsignedString(payloadOffset)
                + ", payload_len=" + Integer.toUnsignedString(payloadLength)
                + ", flags=" + FrameFlags.describe(flags) + ", credit_grant=" + Integer.toUnsignedString(creditGrant)
                + ", deadline_ns="
                + (deadlineNs == DescriptorLayout.NO_DEADLINE ? "none" : Long.toUnsignedString(deadlineNs))
                + ", inline_payload=" + HexFormat.of().formatHex(inlinePayload) + "]";
    }
}
