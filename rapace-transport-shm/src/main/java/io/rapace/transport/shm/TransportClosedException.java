package io.rapace.transport.shm;

import org.jspecify.annotations.Nullable;

/** The transport was closed; every call on it fails with this. */
public final class TransportClosedException extends ShmException {

    /** With a message naming the transport. */
    public TransportClosedException(String message) {
        super(message);
    }

    /** With a message and the access failure that revealed the close. */
    public TransportClosedException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
