package io.rapace.transport.shm;

/**
 * The open/closed state of one transport, shared by its sender and receiver, and the errors that a
 * closed transport gives.
 */
final class Lifecycle {

    private final String transportName;
    private volatile boolean closed;

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
     * What an access failure means: after a close, the unmapped segment (the FFM arena throws
     * {@link IllegalStateException}), which becomes {@link TransportClosedException}; otherwise itself.
     */
    RuntimeException closedOr(IllegalStateException ex) {
        return closed ? new TransportClosedException("transport closed during the call (" + transportName + ")", ex)
                : ex;
    }
}
