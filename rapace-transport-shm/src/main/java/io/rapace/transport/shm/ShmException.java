package io.rapace.transport.shm;

import org.jspecify.annotations.Nullable;

/**
 * Base of every error of the shared-memory transport. Unchecked; the message names the problem and
 * its values. Thrown as itself only for failures outside the subclasses' cases (an interrupted wait,
 * an I/O error while creating the file, a segment the peer corrupted).
 */
public sealed class ShmException extends RuntimeException
        permits ShmOpenException, BackpressureTimeoutException, PayloadTooLargeException, PeerDiedException,
        TransportClosedException {

    /** With a message. */
    public ShmException(String message) {
        super(message);
    }

    /** With a message and a cause. */
    public ShmException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
