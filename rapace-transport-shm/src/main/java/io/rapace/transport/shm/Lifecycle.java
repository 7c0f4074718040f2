package io.rapace.transport.shm;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The open/closed state of one transport, shared by its sender and receiver, and the errors that a
 * closed transport gives.
 */
final class Lifecycle {

    private final String transportName;
    private volatile boolean closed;
    /**
     * Sends through a slot between {@link #enterSend} and {@link #leaveSend}: they may still touch the mapping (an
     * inline send does so only under the sender's lock, which close() takes: {@link FrameSender#awaitLockedSends}).
     */
    private final AtomicInteger sends = new AtomicInteger();

    Lifecycle(String transportName) {
        this.transportName = transportName;
    }

    boolean isClosed() {
        return closed;
    }

    /** Marks the transport closed; true only for the first call. */
    synchronized boolean close() {
        if (closed) {
            return false;
        }
        closed = true;
        return true;
    }

    /** Throws {@link TransportClosedException} once closed. */
    void ensureOpen() {
        if (closed) {
            throw new TransportClosedException("transport is closed (" + transportName + ")");
        }
    }

    /**
     * Registers a send that may take a slot; throws {@link TransportClosedException} once closed. Every
     * successful call is paired with {@link #leaveSend}, so that {@link #awaitSends} lets the send return
     * what it took before the mapping goes.
     */
    void enterSend() {
        // volatile add, then volatile read of closed; close() does the mirror (write closed, read sends): one of
        // the two sees the other, so a send either fails here or is waited for.
        sends.incrementAndGet();
        if (closed) {
            sends.decrementAndGet();
            ensureOpen();
        }
    }

    void leaveSend() {
        sends.decrementAndGet();
    }

    /** After {@link #close}: waits until every registered send has left, or the deadline passes. */
    void awaitSends(long deadline) {
        while (sends.get() > 0 && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(100_000);
        }
    }

    /**
     * What an access failure means: after a close, the unmapped segment (the FFM arena throws
     * {@link IllegalStateException}), which becomes {@link TransportClosedException}; otherwise itself.
     */
    RuntimeException closedOr(IllegalStateException ex) {
        return closed ? new TransportClosedException("transport closed during the call (" + transportName + ")", ex)
                : ex;
    }
}
