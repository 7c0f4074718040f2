package io.rapace.transport.shm;

/**
 * The consumer end of one SPSC descriptor ring. Single-threaded. Keeps its own tail and a cached
 * copy of the producer's visible head.
 */
final class RingConsumer {

    private final RingRegion ring;

    private long tail;
    private long cachedHead;

    RingConsumer(RingRegion ring) {
        this.ring = ring;
        // acquire: resume from what was consumed (0 in a fresh segment).
        this.tail = Mem.getLongAcquire(ring.segment(), ring.tailOffset());
        this.cachedHead = tail;
    }

    /** The offset of the next descriptor to read, or -1 when the ring is empty. */
    long peek() {
        if (tail >= cachedHead) {
            // acquire: pairs with the producer's release, so the descriptor bytes are visible.
            cachedHead = Mem.getLongAcquire(ring.segment(), ring.visibleHeadOffset());
            if (tail >= cachedHead) {
                return -1;
            }
        }
        return ring.descriptorAt(tail);
    }

    /** Hands the peeked descriptor back to the producer. */
    void advance() {
        tail++;
        // release: our reads of the descriptor complete before the producer may overwrite it.
        Mem.putLongRelease(ring.segment(), ring.tailOffset(), tail);
    }

    /** Descriptors published and not yet consumed; callable from any thread. */
    int occupancy() {
        return ring.occupancy();
    }
}
