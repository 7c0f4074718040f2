package io.rapace.transport.shm;

import java.time.Instant;

/** Wall-clock nanoseconds since the Unix epoch, the clock of the heartbeat fields (spec §3). */
final class WallClock {

    private WallClock() {
    }

    static long nowNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
