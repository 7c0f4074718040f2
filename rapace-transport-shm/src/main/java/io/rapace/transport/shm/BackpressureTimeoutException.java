package io.rapace.transport.shm;

/** A send waited for ring space or a free slot until its timeout; nothing was sent. */
public final class BackpressureTimeoutException extends ShmException {

    /** With a message naming what was full and for how long the send waited. */
    public BackpressureTimeoutException(String message) {
        super(message);
    }
}
