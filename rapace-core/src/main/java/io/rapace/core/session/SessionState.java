package io.rapace.core.session;

/** The life cycle of an {@link RpcSession}. */
public enum SessionState {

    /** Calls and requests flow. */
    OPEN,
    /** {@link RpcSession#close(java.time.Duration)} is waiting for in-flight handlers; new calls fail. */
    CLOSING,
    /** Closed locally (or the transport was closed under the session). */
    CLOSED,
    /**
     * The peer is gone: its process exited ({@link RpcSession#peerGone}) or, unwatched, its heartbeat stood
     * still beyond {@code peerGoneAfter}; every call failed with {@code PEER_DIED}. A peer whose heartbeat
     * merely stalled leaves the session {@link #OPEN} (see {@link RpcSession#peerState()}).
     */
    PEER_DIED;

    /** Whether new calls are accepted. */
    public boolean isOpen() {
        return this == OPEN;
    }
}
