package io.rapace.transport.shm;

import java.lang.foreign.MemorySegment;

import io.rapace.transport.shm.layout.DescriptorLayout;
import io.rapace.transport.shm.layout.RingLayout;
import io.rapace.transport.shm.layout.ShmLayout;
import io.rapace.transport.shm.layout.SlotMetaLayout;

/**
 * A test-only producer that writes arbitrary descriptors straight into ring A→B, the way a buggy or
 * hostile host could, bypassing every check of {@link ShmTransport#send}.
 */
final class RawRingWriter {

    private final MemorySegment segment;
    private final ShmLayout layout;

    RawRingWriter(MemorySegment segment, ShmLayout layout) {
        this.segment = segment;
        this.layout = layout;
    }

    /** Writes {@code descriptor} at the ring's head and publishes it. */
    void enqueue(Descriptor descriptor) {
        long headOffset = layout.ringAToBHeader() + RingLayout.VISIBLE_HEAD_OFFSET;
        long head = Mem.getLongAcquire(segment, headOffset);
        long index = head & (layout.ringCapacity() - 1);
        descriptor.writeTo(segment, layout.ringAToBDescriptors() + index * DescriptorLayout.LENGTH);
        Mem.putLongRelease(segment, headOffset, head + 1);
    }

    /** The ring's published {@code visible_head}. */
    long visibleHead() {
        return Mem.getLongAcquire(segment, layout.ringAToBHeader() + RingLayout.VISIBLE_HEAD_OFFSET);
    }

    /** Overwrites {@code visible_head} with any value, as a hostile producer could. */
    void setVisibleHead(long head) {
        Mem.putLongRelease(segment, layout.ringAToBHeader() + RingLayout.VISIBLE_HEAD_OFFSET, head);
    }

    void setSlot(int slot, int generation, int state) {
        Mem.putInt(segment, layout.slotMeta(slot) + SlotMetaLayout.GENERATION_OFFSET, generation);
        Mem.putIntRelease(segment, layout.slotMeta(slot) + SlotMetaLayout.STATE_OFFSET, state);
    }

    int slotState(int slot) {
        return Mem.getIntAcquire(segment, layout.slotMeta(slot) + SlotMetaLayout.STATE_OFFSET);
    }

    int slotGeneration(int slot) {
        return Mem.getIntAcquire(segment, layout.slotMeta(slot) + SlotMetaLayout.GENERATION_OFFSET);
    }

    void writeSlotData(int slot, byte[] data) {
        MemorySegment.copy(data, 0, segment, java.lang.foreign.ValueLayout.JAVA_BYTE, layout.slotData(slot),
                data.length);
    }

    static Descriptor slotDescriptor(int slot, int generation, int offset, int length) {
        return new Descriptor(1, 1, 7, slot, generation, offset, length, FrameFlags.DATA, 0,
                DescriptorLayout.NO_DEADLINE, new byte[DescriptorLayout.INLINE_CAPACITY]);
    }

    static Descriptor inlineDescriptor(int length) {
        return new Descriptor(1, 1, 7, DescriptorLayout.INLINE_SLOT, 0, 0, length, FrameFlags.DATA, 0,
                DescriptorLayout.NO_DEADLINE, new byte[DescriptorLayout.INLINE_CAPACITY]);
    }
}
