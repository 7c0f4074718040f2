package io.rapace.core.session;

/** The life cycle of an {@link RpcSession}. */
public enum SessionState {

    /** Calls and requests flow. */
    OPEN,
    /** {@link RpcSession#close(java.time.Duration)} is waiting for in-flight handlers; new calls fail. */
    CLOSING,
    /** Closed locally (or the transport was closed under the session). */
    CLOSED,
    /** The peer stopped heartbeating; every call failed with {@code PEER_DIED}. */
    PEER_DIED;

    /** Whether new calls are accepted. */
    public boolean isOpen() {
        return this == OPEN;
    }
}
