package io.rapace.core.session;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many server streams of a session have a full client buffer ({@link StreamBuffer}). While any has,
 * the thread reading the ring holds off (see {@link ReceiveRole}), so the server's items wait in its ring
 * and its sends wait for room: a stalled subscriber slows the producer instead of filling the heap.
 */
final class FullStreams {

    private final AtomicInteger count = new AtomicInteger();

    private final Runnable wakeReader;

    /** @param wakeReader wakes the thread reading the ring once no stream is full any more */
    FullStreams(Runnable wakeReader) {
        this.wakeReader = wakeReader;
    }

    /** Whether some stream's buffer is full: read by the reading thread every turn. */
    boolean any() {
        return this.count.get() > 0;
    }

    void filled() {
        this.count.incrementAndGet();
    }

    void drained() {
        if (this.count.decrementAndGet() == 0) {
            this.wakeReader.run();
        }
    }
}
