package io.rapace.transport.shm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The consumer end of one SPSC descriptor ring. Single-threaded. Keeps its own tail and a cached
 * copy of the producer's visible head, which it trusts only when it lies in {@code [tail, tail + capacity]}.
 *
 * <p>The tail in the mapping is published lazily ({@link #publishTail()}, at the start of the next look at the ring),
 * not at each {@link #advance()}: the store needs the tail's cache line back from the producer, which reads it (a
 * v1.0 producer at every enqueue, a wake-extension producer its {@code consumer_waiting} beside it), and the first
 * fence after the store waits for that line. Stored at once, that wait fell between a caller's answer and its next
 * request (about 0.1 µs of a 1 µs round trip on the 2-core VM); stored at the next look, it overlaps the wait for the
 * next answer (docs/transport.md, "When the consumer publishes its tail"). Within one look it is stored every
 * {@value #PUBLISH_EVERY} descriptors, so that a stream's producer finds room while a long look goes on. Threads that
 * wait for frames without consuming, and the statistics, count from {@link #consumed()}, never from the mapping.
 */
final class RingConsumer {

    /** Descriptors consumed, unpublished, after which {@link #advance()} publishes the tail itself. */
    static final int PUBLISH_EVERY = 32;

    /** {@link #peek}'s answer when no descriptor is waiting. */
    static final long EMPTY = -1;

    /**
     * {@link #peek}'s answer when the producer's {@code visible_head} is more than the capacity ahead of our
     * tail, or behind it: a protocol violation; the value is in {@link #rejectedHead()}. Nothing is read.
     */
    static final long BAD_HEAD = -2;

    private static final VarHandle TAIL;

    static {
        try {
            TAIL = MethodHandles.lookup().findVarHandle(RingConsumer.class, "tail", long.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final RingRegion ring;

    /**
     * Descriptors consumed. Written by the consumer thread only, with release ({@link #advance()}); read plain by it,
     * with acquire by others ({@link #consumed()}).
     */
    private long tail;
    /** The tail last stored to the mapping: behind {@link #tail} from an advance until the next publishTail. */
    private long publishedTail;
    /** The last sane visible_head read: always in [tail, tail + capacity]. */
    private long cachedHead;
    /** The last out-of-range visible_head read, for the error message. */
    private long rejectedHead;

    RingConsumer(RingRegion ring) {
        this.ring = ring;
        // acquire: resume from what was consumed (0 in a fresh segment).
        this.tail = Mem.getLongAcquire(ring.segment(), ring.tailOffset());
        this.cachedHead = tail;
        this.publishedTail = tail;
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

    /**
     * Counts the peeked descriptor as consumed; the producer may overwrite it once {@link #publishTail()} has stored
     * the new tail.
     */
    void advance() {
        // release, not volatile: no fence on the answer's path (x86: a plain store); a thread waiting for frames
        // (consumed()) reads it after its own fence, and frames consumed before it count as consumed.
        TAIL.setRelease(this, tail + 1);
        if (tail - publishedTail >= PUBLISH_EVERY) {
            publishTail();
        }
    }

    /** Stores the tail for the producer when it moved since the last store: hands the consumed descriptors back. */
    void publishTail() {
        if (publishedTail != tail) {
            publishedTail = tail;
            // release: our reads of the consumed descriptors complete before the producer may overwrite them.
            Mem.putLongRelease(ring.segment(), ring.tailOffset(), tail);
        }
    }

    /** Our tail: descriptors consumed; consumer thread only. */
    long tail() {
        return tail;
    }

    /** Descriptors consumed, published to the producer or not; callable from any thread. */
    long consumed() {
        // acquire: pairs with advance()'s release.
        return (long) TAIL.getAcquire(this);
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
        // consumed first, then the head: frames the consumer takes in between make the difference too large, never
        // negative, and a waiter reading it never misses a frame (the clamp absorbs the two reads not being one snapshot).
        long consumed = consumed();
        // acquire: a monitoring or waiting read of the producer's release.
        long visible = Mem.getLongAcquire(ring.segment(), ring.visibleHeadOffset());
        return (int) Math.max(0, Math.min(ring.capacity(), visible - consumed));
    }
}
