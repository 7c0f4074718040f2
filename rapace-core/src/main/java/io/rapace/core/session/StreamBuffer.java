package io.rapace.core.session;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the items of one server stream that were read from the ring but not yet handed to the subscriber,
 * and marks the stream full (holding the session's reader off, see {@link FullStreams}) once {@code max}
 * wait; the mark goes when the subscriber has taken them down to half, when the stream ends, or when it is
 * cancelled. Per item: one atomic increment on the reading thread, one decrement on the delivering thread;
 * nothing allocated.
 */
final class StreamBuffer {

    private final int max;

    private final int resumeAt;

    private final FullStreams fullStreams;

    /** Read but not yet delivered (may dip below 0 for an instant when delivery outruns the count). */
    private final AtomicInteger queued = new AtomicInteger();

    /** Written under this object's monitor; volatile so that {@link #delivered()} reads it without it. */
    private volatile boolean full;

    /** Guarded by this object's monitor: once ended, never full again. */
    private boolean ended;

    StreamBuffer(int max, FullStreams fullStreams) {
        this.max = max;
        this.resumeAt = max / 2;
        this.fullStreams = fullStreams;
    }

    /** An item was handed to the sink (reading thread). */
    void added() {
        if (this.queued.incrementAndGet() >= this.max) {
            fill();
        }
    }

    /** An item is about to reach the subscriber (delivering thread). */
    void delivered() {
        // volatile read after the atomic decrement: pairs with fill()'s write of full then re-read of queued,
        // so either fill() sees this decrement or this sees full (no stream left full with an empty buffer).
        if (this.queued.decrementAndGet() <= this.resumeAt && this.full) {
            drain(false);
        }
    }

    /** The stream ended (completed, failed, cancelled): it holds nothing off any more. */
    void release() {
        drain(true);
    }

    /** Items waiting for the subscriber. */
    int queued() {
        return Math.max(0, this.queued.get());
    }

    private void fill() {
        synchronized (this) {
            if (this.full || this.ended || this.queued.get() < this.max) {
                return;
            }
            this.full = true;
            this.fullStreams.filled();
        }
        // The subscriber may have taken everything between our check and the write of full: look again.
        if (this.queued.get() <= this.resumeAt) {
            drain(false);
        }
    }

    private void drain(boolean end) {
        synchronized (this) {
            if (end) {
                this.ended = true;
            }
            if (!this.full || (!end && this.queued.get() > this.resumeAt)) {
                return;
            }
            this.full = false;
        }
        this.fullStreams.drained();
    }
}
