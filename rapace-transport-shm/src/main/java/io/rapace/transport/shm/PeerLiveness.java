package io.rapace.transport.shm;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Reads the peer's heartbeat and judges it against the liveness timeout (spec §3). */
final class PeerLiveness {

    private final SegmentHeaderView header;
    private final PeerRole peer;
    private final Duration timeout;
    private final long timeoutNanos;
    private final String transportName;

    PeerLiveness(SegmentHeaderView header, PeerRole peer, Duration timeout, String transportName) {
        this.header = header;
        this.peer = peer;
        this.timeout = timeout;
        this.timeoutNanos = timeout.toNanos();
        this.transportName = transportName;
    }

    /** Age of the peer's last heartbeat in nanoseconds (0 if its clock is ahead), -1 before its first. */
    long heartbeatAgeNanos() {
        long lastSeen = header.lastSeen(peer);
        if (lastSeen == 0) {
            return -1;
        }
        return Math.max(0, WallClock.nowNanos() - lastSeen);
    }

    boolean isAlive() {
        return heartbeatAgeNanos() <= timeoutNanos;
    }

    /** Throws {@link PeerDiedException} when the peer's heartbeat is older than the timeout. */
    void check() {
        long age = heartbeatAgeNanos();
        if (age > timeoutNanos) {
            throw new PeerDiedException("peer " + peer + " (" + peer.specName() + ") last heartbeat was "
                    + TimeUnit.NANOSECONDS.toMillis(age) + " ms ago, beyond the liveness timeout of "
                    + timeout.toMillis() + " ms (" + transportName + ")", age);
        }
    }
}
