package io.rapace.transport.shm;

/** The peer's heartbeat is older than the liveness timeout (spec §3). */
public final class PeerDiedException extends ShmException {

    private final long heartbeatAgeNanos;

    /** With a message and the age of the peer's last heartbeat. */
    public PeerDiedException(String message, long heartbeatAgeNanos) {
        super(message);
        this.heartbeatAgeNanos = heartbeatAgeNanos;
    }

    /** Age of the peer's last heartbeat when death was detected, in nanoseconds. */
    public long heartbeatAgeNanos() {
        return heartbeatAgeNanos;
    }
}
