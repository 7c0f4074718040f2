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
 * @param wakeSeqOffset offset of the producer's {@code wake_seq} futex word (wake extension)
 * @param consumerWaitingOffset offset of the consumer's {@code consumer_waiting} word (wake extension)
 * @param wakeSeqWord the 4 bytes of {@code wake_seq}, sliced once for the futex calls
 */
record RingRegion(MemorySegment segment, long visibleHeadOffset, long tailOffset, long descriptorsOffset,
        int capacity, long wakeSeqOffset, long consumerWaitingOffset, MemorySegment wakeSeqWord) {

    /**
     * The ring whose header starts at {@code headerOffset}; with {@code futexWord}, its {@code wake_seq} made a futex
     * word by {@link Futex#word} (which links the native calls), else only sliced (a side that never runs the wake
     * extension never links them).
     */
    static RingRegion of(MemorySegment segment, long headerOffset, long descriptorsOffset, int capacity,
            boolean futexWord) {
        long wakeSeq = headerOffset + RingLayout.WAKE_SEQ_OFFSET;
        return new RingRegion(segment, headerOffset + RingLayout.VISIBLE_HEAD_OFFSET,
                headerOffset + RingLayout.TAIL_OFFSET, descriptorsOffset, capacity, wakeSeq,
                headerOffset + RingLayout.CONSUMER_WAITING_OFFSET,
                futexWord ? Futex.word(segment, wakeSeq) : segment.asSlice(wakeSeq, Integer.BYTES));
    }

    /** The offset of the descriptor that counter value {@code counter} designates. */
    long descriptorAt(long counter) {
        return descriptorsOffset + (counter & (capacity - 1L)) * DescriptorLayout.LENGTH;
    }

    /**
     * Descriptors published and not yet handed back by the consumer's {@code tail} in the mapping (which it stores at its
     * next look at the ring: the producer's view); callable from any thread.
     */
    int occupancy() {
        // acquire both: a monitoring read; the clamp absorbs the two reads not being one snapshot.
        long consumed = Mem.getLongAcquire(segment, tailOffset);
        long visible = Mem.getLongAcquire(segment, visibleHeadOffset);
        return (int) Math.max(0, Math.min(capacity, visible - consumed));
    }
}
