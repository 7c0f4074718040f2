package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import io.rapace.transport.shm.layout.DescriptorLayout;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ShmTransport#pollHasWork()}, the look a spinning reader makes before each poll: true exactly while a poll
 * has something to do (frames to read, consumed ones to hand back, a closed transport to report), so that a reader
 * that polls only then misses nothing and never leaves the peer without room.
 */
class PollHasWorkTest {

    @TempDir
    Path dir;

    @Test
    void trueWhileFramesWaitOrConsumedOnesAreToBeHandedBackAndOnceClosed() {
        ShmConfig config = new ShmConfig(4, 256, 4);
        try (TransportPair pair = TransportPair.connect(dir.resolve("look.shm"), config, ShmOptions.defaults())) {
            ShmTransport plugin = pair.plugin();
            assertThat(plugin.pollHasWork()).as("an empty ring").isFalse();
            for (int round = 0; round < 3; round++) {
                // A full ring each round: the host finds room again only if the looks hand the frames back.
                for (int i = 0; i < config.ringCapacity(); i++) {
                    pair.host().send(1, i, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, new byte[] {(byte) i}, 0, 1,
                            0);
                }
                assertThat(plugin.pollHasWork()).as("frames waiting").isTrue();
                assertThat(plugin.poll(frame -> { }, 64)).isEqualTo(config.ringCapacity());
                assertThat(plugin.pollHasWork()).as("frames read, their tail not stored yet").isTrue();
                assertThat(plugin.poll(frame -> { }, 64)).isZero();
                assertThat(plugin.pollHasWork()).as("everything read and handed back").isFalse();
            }
            plugin.close();
            assertThat(plugin.pollHasWork()).as("closed: a poll says so").isTrue();
        }
    }
}
