package io.rapace.transport.shm;

/**
 * The consumer end of one SPSC descriptor ring. Single-threaded. Keeps its own tail and a cached
 * copy of the producer's visible head, which it trusts only when it lies in {@code [tail, tail + capacity]}.
 */
final class RingConsumer {

    /** {@link #peek}'s answer when no descriptor is waiting. */
    static final long EMPTY = -1;

    /**
     * {@link #peek}'s answer when the producer's {@code visible_head} is more than the capacity ahead of our
     * tail, or behind it: a protocol violation; the value is in {@link #rejectedHead()}. Nothing is read.
     */
    static final long BAD_HEAD = -2;

    private final RingRegion ring;

    private long tail;
    /** The last sane visible_head read: always in [tail, tail + capacity]. */
    private long cachedHead;
    /** The last out-of-range visible_head read, for the error message. */
    private long rejectedHead;

    RingConsumer(RingRegion ring) {
        this.ring = ring;
        // acquire: resume from what was consumed (0 in a fresh segment).
        this.tail = Mem.getLongAcquire(ring.segment(), ring.tailOffset());
        this.cachedHead = tail;
    }

    /** The offset of the next descriptor to read, {@link #EMPTY} or {@link #BAD_HEAD}. */
    long peek() {
        if (tail == cachedHead) {
            // acquire: pairs with the producer's release, so the descriptor bytes are visible.
            long head = Mem.getLongAcquire(ring.segment(), ring.visibleHeadOffset());
            // u64 counters never wrap (2^64 descriptors), so a head behind the tail shows as a huge difference.
            long published = head - tail;
            if (published == 0) {
                return EMPTY;
            }
            if (Long.compareUnsigned(published, ring.capacity()) > 0) {
                rejectedHead = head;
                return BAD_HEAD;
            }
            cachedHead = head;
        }
        return ring.descriptorAt(tail);
    }

    /** Hands the peeked descriptor back to the producer. */
    void advance() {
        tail++;
        // release: our reads of the descriptor complete before the producer may overwrite it.
        Mem.putLongRelease(ring.segment(), ring.tailOffset(), tail);
    }

    /** Our tail: descriptors consumed. */
    long tail() {
        return tail;
    }

    /** The visible_head that made the last {@link #peek} answer {@link #BAD_HEAD}. */
    long rejectedHead() {
        return rejectedHead;
    }

    int capacity() {
        return ring.capacity();
    }

    /** Descriptors published and not yet consumed; callable from any thread. */
    int occupancy() {
        return ring.occupancy();
    }
}
