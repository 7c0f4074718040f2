package io.rapace.transport.shm;

/**
 * What this side knows of its peer. Liveness is judged by the peer's heartbeat <em>moving</em> (its
 * {@code last_seen} or {@code epoch} changing), timed with this process's monotonic clock; the peer's
 * wall-clock value itself is never compared with ours. See {@code docs/transport.md}, "Liveness".
 */
public enum PeerState {

    /** The peer has not written its first heartbeat yet ({@code last_seen} is 0). */
    NOT_STARTED,
    /** The peer's heartbeat moved within the liveness timeout. */
    ALIVE,
    /**
     * The peer's heartbeat has not moved for longer than the liveness timeout, but its process is not known
     * to be gone (stopped, in a long GC, under a debugger, or the machine was suspended). Calls fail by
     * their own deadlines and sends wait up to their own timeouts; the transport carries on when the
     * heartbeat moves again.
     */
    STALLED,
    /**
     * The peer is gone for good: its process exited ({@link ShmTransport#markPeerGone}), or, where its
     * process cannot be watched, its heartbeat stood still for longer than
     * {@link ShmOptions#peerGoneAfter()}. Receives and waiting sends throw {@link PeerDiedException}.
     */
    GONE;

    /** Whether the peer counts as alive: {@link #ALIVE}, or {@link #NOT_STARTED} (not late yet). */
    public boolean isAlive() {
        return this == ALIVE || this == NOT_STARTED;
    }
}
