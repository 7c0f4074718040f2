package io.rapace.transport.shm;

import java.lang.foreign.MemorySegment;

import io.rapace.transport.shm.layout.DescriptorLayout;
import io.rapace.transport.shm.layout.RingLayout;

/**
 * The producer end of one SPSC descriptor ring. Not thread-safe: the transport serialises its
 * senders. Keeps its own head and a cached copy of the consumer's tail.
 */
final class RingProducer {

    private final MemorySegment segment;
    private final long visibleHeadOffset;
    private final long tailOffset;
    private final long descriptorsOffset;
    private final int capacity;
    private final long mask;

    private long head;
    private long cachedTail;

    RingProducer(MemorySegment segment, long headerOffset, long descriptorsOffset, int capacity) {
        this.segment = segment;
        this.visibleHeadOffset = headerOffset + RingLayout.VISIBLE_HEAD_OFFSET;
        this.tailOffset = headerOffset + RingLayout.TAIL_OFFSET;
        this.descriptorsOffset = descriptorsOffset;
        this.capacity = capacity;
        this.mask = capacity - 1L;
        // acquire: start from what is published (0 in a fresh segment).
        this.head = Mem.getLongAcquire(segment, visibleHeadOffset);
        this.cachedTail = Mem.getLongAcquire(segment, tailOffset);
    }

    /**
     * The offset of the descriptor to fill next, or -1 when the ring is full. Call {@link #publish}
     * after filling it.
     */
    long claim() {
        if (head - cachedTail >= capacity) {
            // acquire: the consumer's release of tail guarantees it finished reading those descriptors.
            cachedTail = Mem.getLongAcquire(segment, tailOffset);
            if (head - cachedTail >= capacity) {
                return -1;
            }
        }
        return descriptorsOffset + (head & mask) * DescriptorLayout.LENGTH;
    }

    /** Makes the claimed descriptor visible to the consumer. */
    void publish() {
        head++;
        // release: the descriptor's plain stores become visible before the new head.
        Mem.putLongRelease(segment, visibleHeadOffset, head);
    }

    int capacity() {
        return capacity;
    }

    /** Descriptors published and not yet consumed; callable from any thread. */
    int occupancy() {
        // acquire both: a monitoring read that must not see a tail newer than its head.
        long tail = Mem.getLongAcquire(segment, tailOffset);
        long visible = Mem.getLongAcquire(segment, visibleHeadOffset);
        return (int) Math.max(0, Math.min(capacity, visible - tail));
    }
}
