package io.rapace.core.runtime;

import org.jspecify.annotations.Nullable;

/**
 * A failure of the plugin runtime or of a host's launch: the {@link Kind} says which step failed, the
 * message names the path, the timeout or the cause.
 */
public final class RapaceRuntimeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The step that failed. */
    public enum Kind {
        /** No segment path was given on the command line. */
        MISSING_ARGUMENT,
        /** A segment path argument was present but unusable (empty, malformed). */
        BAD_ARGUMENT,
        /** The segment file did not appear, or was not initialised, within the wait timeout. */
        FILE_NOT_CREATED,
        /** The segment exists but could not be opened or created (bad header, geometry, I/O). */
        OPEN_FAILED,
        /** The RPC session failed (a service could not be installed, a call failed). */
        RPC,
        /** The transport failed while running: the peer died or the segment became unusable. */
        TRANSPORT,
        /**
         * A host could not start its plugin process, or the process exited (or did not open the segment in time)
         * before opening the segment: the message then names its exit code and its last lines of output.
         */
        LAUNCH_FAILED,
    }

    private final Kind kind;

    /** A failure without an underlying cause. */
    public RapaceRuntimeException(Kind kind, String message) {
        this(kind, message, null);
    }

    /** A failure caused by {@code cause}. */
    public RapaceRuntimeException(Kind kind, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    /** The step that failed. */
    public Kind kind() {
        return this.kind;
    }

    @Override
    public String toString() {
        return "RapaceRuntimeException[" + this.kind + "]: " + getMessage();
    }
}
