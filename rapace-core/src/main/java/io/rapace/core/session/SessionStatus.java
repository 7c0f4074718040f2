package io.rapace.core.session;

import java.util.concurrent.atomic.AtomicReference;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import org.jspecify.annotations.Nullable;

/** The session's state, shared by its parts; transitions only move away from {@link SessionState#OPEN}. */
final class SessionStatus {

    private final AtomicReference<SessionState> state = new AtomicReference<>(SessionState.OPEN);

    private final String description;

    /** Why the peer is gone, once known; volatile: written by whoever learns it, read by callers. */
    private volatile @Nullable String peerGoneReason;

    SessionStatus(String description) {
        this.description = description;
    }

    SessionState get() {
        return this.state.get();
    }

    boolean isOpen() {
        return this.state.get() == SessionState.OPEN;
    }

    /** Moves from {@code expected} to {@code next}; false when the state was something else. */
    boolean transition(SessionState expected, SessionState next) {
        return this.state.compareAndSet(expected, next);
    }

    /** Moves to {@code next} unless the session already ended (CLOSED or PEER_DIED). */
    void end(SessionState next) {
        this.state.getAndUpdate(current -> current == SessionState.OPEN || current == SessionState.CLOSING ? next : current);
    }

    /**
     * The peer is gone: ends the session as {@link SessionState#PEER_DIED} unless it already ended, and keeps
     * the first reason for the calls that arrive later. True when this call ended the session.
     */
    boolean peerGone(String reason) {
        synchronized (this) {
            if (this.peerGoneReason == null) {
                this.peerGoneReason = reason;
            }
        }
        SessionState before = this.state.getAndUpdate(
                current -> current == SessionState.OPEN || current == SessionState.CLOSING ? SessionState.PEER_DIED : current);
        return before == SessionState.OPEN || before == SessionState.CLOSING;
    }

    /** The exception for a call that arrives now, or {@code null} while open. */
    @Nullable RapaceException rejection() {
        return switch (this.state.get()) {
            case OPEN -> null;
            case CLOSING -> new RapaceException(ErrorCode.SESSION_CLOSED, this.description + " is closing");
            case CLOSED -> new RapaceException(ErrorCode.SESSION_CLOSED, this.description + " is closed");
            case PEER_DIED -> new RapaceException(ErrorCode.PEER_DIED, "the peer of " + this.description + " died"
                    + (this.peerGoneReason != null ? ": " + this.peerGoneReason : ""));
        };
    }

    String description() {
        return this.description;
    }
}
