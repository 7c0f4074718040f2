package io.rapace.core.session;

import io.rapace.core.ErrorCode;

/**
 * Hooks for metrics (the Spring starter binds them to Micrometer). Every method has an empty default;
 * implementations must be thread-safe, fast and must not throw (exceptions are logged and ignored).
 */
public interface SessionObserver {

    /** An observer that does nothing. */
    SessionObserver NONE = new SessionObserver() {
    };

    /**
     * An incoming call ended: {@link ErrorCode#OK} when answered or completed, the error code it failed
     * with, {@link ErrorCode#CANCELLED} when cancelled, {@link ErrorCode#UNIMPLEMENTED} for unknown ids
     * (duration 0).
     */
    default void onServerCallCompleted(int methodId, ErrorCode outcome, long durationNanos) {
    }

    /** An outgoing call (unary or stream) ended with this outcome. */
    default void onClientCallCompleted(int methodId, ErrorCode outcome, long durationNanos) {
    }

    /** A response, stream end or error frame could not be sent and was dropped. */
    default void onResponseSendFailed(int methodId, Throwable cause) {
    }
}
