package io.rapace.transport.shm;

import java.lang.foreign.MemorySegment;

import io.rapace.transport.shm.layout.DescriptorLayout;
import io.rapace.transport.shm.layout.RingLayout;

/**
 * The consumer end of one SPSC descriptor ring. Single-threaded. Keeps its own tail and a cached
 * copy of the producer's visible head.
 */
final class RingConsumer {

    private final MemorySegment segment;
    private final long visibleHeadOffset;
    private final long tailOffset;
    private final long descriptorsOffset;
    private final int capacity;
    private final long mask;

    private long tail;
    private long cachedHead;

    RingConsumer(MemorySegment segment, long headerOffset, long descriptorsOffset, int capacity) {
        this.segment = segment;
        this.visibleHeadOffset = headerOffset + RingLayout.VISIBLE_HEAD_OFFSET;
        this.tailOffset = headerOffset + RingLayout.TAIL_OFFSET;
        this.descriptorsOffset = descriptorsOffset;
        this.capacity = capacity;
        this.mask = capacity - 1L;
        // acquire: resume from what was consumed (0 in a fresh segment).
        this.tail = Mem.getLongAcquire(segment, tailOffset);
        this.cachedHead = tail;
    }

    /** The offset of the next descriptor to read, or -1 when the ring is empty. */
    long peek() {
        if (tail >= cachedHead) {
            // acquire: pairs with the producer's release, so the descriptor bytes are visible.
            cachedHead = Mem.getLongAcquire(segment, visibleHeadOffset);
            if (tail >= cachedHead) {
                return -1;
            }
        }
        return descriptorsOffset + (tail & mask) * DescriptorLayout.LENGTH;
    }

    /** Hands the peeked descriptor back to the producer. */
    void advance() {
        tail++;
        // release: our reads of the descriptor complete before the producer may overwrite it.
        Mem.putLongRelease(segment, tailOffset, tail);
    }

    /** Descriptors published and not yet consumed; callable from any thread. */
    int occupancy() {
        // acquire both: a monitoring read.
        long consumed = Mem.getLongAcquire(segment, tailOffset);
        long visible = Mem.getLongAcquire(segment, visibleHeadOffset);
        return (int) Math.max(0, Math.min(capacity, visible - consumed));
    }
}
