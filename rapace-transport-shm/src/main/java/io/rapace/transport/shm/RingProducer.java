package io.rapace.transport.shm;

/**
 * The producer end of one SPSC descriptor ring. Not thread-safe: the transport serialises its
 * senders. Keeps its own head and a cached copy of the consumer's tail.
 */
final class RingProducer {

    private final RingRegion ring;
    private final int capacity;

    private long head;
    private long cachedTail;

    RingProducer(RingRegion ring) {
        this.ring = ring;
        this.capacity = ring.capacity();
        // acquire: start from what is published (0 in a fresh segment).
        this.head = Mem.getLongAcquire(ring.segment(), ring.visibleHeadOffset());
        this.cachedTail = Mem.getLongAcquire(ring.segment(), ring.tailOffset());
    }

    /**
     * The offset of the descriptor to fill next, or -1 when the ring is full. Call {@link #publish}
     * after filling it.
     */
    long claim() {
        if (head - cachedTail >= capacity) {
            // acquire: the consumer's release of tail guarantees it finished reading those descriptors.
            cachedTail = Mem.getLongAcquire(ring.segment(), ring.tailOffset());
            if (head - cachedTail >= capacity) {
                return -1;
            }
        }
        return ring.descriptorAt(head);
    }

    /** Makes the claimed descriptor visible to the consumer. */
    void publish() {
        head++;
        // release: the descriptor's plain stores become visible before the new head.
        Mem.putLongRelease(ring.segment(), ring.visibleHeadOffset(), head);
    }

    int capacity() {
        return capacity;
    }

    /** Descriptors published and not yet consumed; callable from any thread. */
    int occupancy() {
        return ring.occupancy();
    }
}
