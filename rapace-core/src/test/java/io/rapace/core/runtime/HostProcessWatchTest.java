package io.rapace.core.runtime;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.rapace.transport.shm.PeerState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rhythm of a plugin's watch on its host ({@link HostProcessWatch#nextLookMillis(PeerState, long, Duration)}):
 * while the host's heartbeat moves, the watch sleeps until the host could have stalled (the looks only matter then),
 * between 1 s and 5 s; once the host is stalled, or not known to be alive, it looks every second.
 */
class HostProcessWatchTest {

    static final Duration TIMEOUT = Duration.ofSeconds(3);

    @Test
    void aHostWhoseHeartbeatMovesIsLookedAtWhenItCouldHaveStalled() {
        assertThat(HostProcessWatch.nextLookMillis(PeerState.ALIVE, millis(400), TIMEOUT)).isEqualTo(2_700);
        assertThat(HostProcessWatch.nextLookMillis(PeerState.ALIVE, 0, TIMEOUT)).isEqualTo(3_100);
    }

    @Test
    void theWaitIsAtLeastASecondAndAtMostFive() {
        assertThat(HostProcessWatch.nextLookMillis(PeerState.ALIVE, millis(2_950), TIMEOUT)).isEqualTo(1_000);
        assertThat(HostProcessWatch.nextLookMillis(PeerState.ALIVE, 0, Duration.ofSeconds(30))).isEqualTo(5_000);
    }

    @Test
    void aHostThatIsNotAliveIsLookedAtEverySecond() {
        assertThat(HostProcessWatch.nextLookMillis(PeerState.STALLED, millis(4_000), TIMEOUT)).isEqualTo(1_000);
        assertThat(HostProcessWatch.nextLookMillis(PeerState.NOT_STARTED, -1, TIMEOUT)).isEqualTo(1_000);
        assertThat(HostProcessWatch.nextLookMillis(null, 0, TIMEOUT)).isEqualTo(1_000);
    }

    private static long millis(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
