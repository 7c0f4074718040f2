package io.rapace.transport.shm;

import java.lang.foreign.MemorySegment;

import io.rapace.transport.shm.layout.DescriptorLayout;
import io.rapace.transport.shm.layout.RingLayout;

/**
 * Where one descriptor ring lives in the segment: its two counter words and its descriptor array.
 * Shared by the {@link RingProducer} and {@link RingConsumer} of that ring, which add the memory order
 * of their own side.
 *
 * @param segment the mapped segment
 * @param visibleHeadOffset offset of the producer's {@code visible_head} counter
 * @param tailOffset offset of the consumer's {@code tail} counter
 * @param descriptorsOffset offset of descriptor 0
 * @param capacity descriptors in the ring, a power of two
 */
record RingRegion(MemorySegment segment, long visibleHeadOffset, long tailOffset, long descriptorsOffset,
        int capacity) {

    /** The ring whose header starts at {@code headerOffset}. */
    static RingRegion of(MemorySegment segment, long headerOffset, long descriptorsOffset, int capacity) {
        return new RingRegion(segment, headerOffset + RingLayout.VISIBLE_HEAD_OFFSET,
                headerOffset + RingLayout.TAIL_OFFSET, descriptorsOffset, capacity);
    }

    /** The offset of the descriptor that counter value {@code counter} designates. */
    long descriptorAt(long counter) {
        return descriptorsOffset + (counter & (capacity - 1L)) * DescriptorLayout.LENGTH;
    }

    /** Descriptors published and not yet consumed; callable from any thread. */
    int occupancy() {
        // acquire both: a monitoring read; the clamp absorbs the two reads not being one snapshot.
        long consumed = Mem.getLongAcquire(segment, tailOffset);
        long visible = Mem.getLongAcquire(segment, visibleHeadOffset);
        return (int) Math.max(0, Math.min(capacity, visible - consumed));
    }
}
