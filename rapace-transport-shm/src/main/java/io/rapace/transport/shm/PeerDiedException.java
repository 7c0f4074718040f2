package io.rapace.transport.shm;

/**
 * The peer is {@link PeerState#GONE}: its process exited ({@link ShmTransport#markPeerGone}), or, with its
 * process unwatched, its heartbeat stood still beyond {@link ShmOptions#peerGoneAfter()}. A peer whose
 * heartbeat merely stalled for the liveness timeout never causes this.
 */
public final class PeerDiedException extends ShmException {

    private final long heartbeatAgeNanos;

    /** With a message and how long the peer's heartbeat had not moved (monotonic nanoseconds). */
    public PeerDiedException(String message, long heartbeatAgeNanos) {
        super(message);
        this.heartbeatAgeNanos = heartbeatAgeNanos;
    }

    /** How long the peer's heartbeat had not moved when it was found gone, in nanoseconds (0 if it had just moved). */
    public long heartbeatAgeNanos() {
        return heartbeatAgeNanos;
    }
}
