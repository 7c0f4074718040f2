package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;

import io.rapace.transport.shm.layout.SegmentLayout;
import org.junit.jupiter.api.Test;

/** The heartbeat's warm-up beats a private header through the real path and registers nothing anywhere. */
class HeartbeatWarmUpTest {

    @Test
    void practiceBeatsItsHeaderOncePerIntervalAndStartsNoHeartbeatThread() {
        try (Arena arena = Arena.ofConfined()) {
            SegmentHeaderView header = new SegmentHeaderView(arena.allocate(SegmentLayout.LENGTH, Long.BYTES));
            Heartbeats beater = new Heartbeats("never started");
            Heartbeat practice = new Heartbeat(header, PeerRole.PLUGIN, TimeUnit.MILLISECONDS.toNanos(400), "practice",
                    beater);

            practice.practise(250);

            assertThat(header.epoch(PeerRole.PLUGIN)).as("one beat per practised interval").isEqualTo(250);
            assertThat(header.lastSeen(PeerRole.PLUGIN)).as("the wall clock written").isPositive();
            assertThat(header.epoch(PeerRole.HOST)).as("the other side's heartbeat untouched").isZero();
            assertThat(beater.thread()).as("no heartbeat thread for a practice").isNull();
            assertThat(beater.size()).isZero();
        }
    }

    @Test
    void theWarmUpLeavesTheJvmsHeartbeatThreadAlone() {
        int registered = Heartbeats.shared().size();

        HeartbeatWarmUp.run();

        assertThat(Heartbeats.shared().size()).isEqualTo(registered);
    }
}
