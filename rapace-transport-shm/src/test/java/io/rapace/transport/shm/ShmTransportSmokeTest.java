package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.rapace.transport.shm.layout.DescriptorLayout;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A host and a plugin transport in one JVM, on one real mapped file, exchanging frames both ways. */
class ShmTransportSmokeTest {

    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(10);

    @TempDir
    Path dir;

    private ShmTransport host;
    private ShmTransport plugin;

    @BeforeEach
    void connect() {
        Path file = dir.resolve("smoke.shm");
        host = ShmTransport.create(file, new ShmConfig(8, 1024, 4), ShmOptions.defaults());
        plugin = ShmTransport.open(file, ShmOptions.defaults());
    }

    @AfterEach
    void disconnect() {
        plugin.close();
        host.close();
    }

    @Test
    void pluginLearnsGeometryAndRolesFromTheSegment() {
        assertThat(host.role()).isEqualTo(PeerRole.HOST);
        assertThat(plugin.role()).isEqualTo(PeerRole.PLUGIN);
        assertThat(plugin.config()).isEqualTo(new ShmConfig(8, 1024, 4));
    }

    @Test
    void inlineAndSlotFramesTravelBothWays() {
        byte[] small = {1, 2, 3};
        byte[] large = new byte[700];
        for (int i = 0; i < large.length; i++) {
            large[i] = (byte) (i * 31);
        }
        long first = host.send(1, 42, FrameFlags.DATA | FrameFlags.EOS, DescriptorLayout.NO_DEADLINE, small, 0,
                small.length, TIMEOUT);
        long second = host.send(1, 42, FrameFlags.DATA, 12345L, large, 0, large.length, TIMEOUT);

        List<String> seen = new ArrayList<>();
        List<byte[]> payloads = new ArrayList<>();
        int received = 0;
        while (received < 2) {
            received += plugin.receive(frame -> {
                seen.add(frame.msgId() + ":" + frame.channelId() + ":" + frame.methodId() + ":" + frame.flags() + ":"
                        + frame.deadlineNs());
                payloads.add(frame.payloadBytes());
            }, 10, TIMEOUT);
        }
        assertThat(seen).containsExactly(first + ":1:42:5:-1", second + ":1:42:1:12345");
        assertThat(payloads.get(0)).isEqualTo(small);
        assertThat(payloads.get(1)).isEqualTo(large);
        assertThat(host.stats().slotsInUse()).isZero();

        plugin.send(2, 7, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, large, 100, 500, TIMEOUT);
        byte[][] back = new byte[1][];
        assertThat(host.receive(frame -> back[0] = frame.payloadBytes(), 10, TIMEOUT)).isEqualTo(1);
        assertThat(back[0]).isEqualTo(java.util.Arrays.copyOfRange(large, 100, 600));
        assertThat(plugin.stats().slotsInUse()).isZero();
        assertThat(host.stats().framesSent()).isEqualTo(2);
        assertThat(host.stats().framesReceived()).isEqualTo(1);
        assertThat(plugin.stats().invalidFrames()).isZero();
    }

    @Test
    void bothSidesSeeEachOthersHeartbeat() {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(
                () -> host.peerHeartbeatAgeNanos() >= 0 && plugin.peerHeartbeatAgeNanos() >= 0);
        assertThat(host.isPeerAlive()).isTrue();
        assertThat(plugin.isPeerAlive()).isTrue();
        SegmentHeaderView header = new SegmentHeaderView(host.segment());
        long epoch = header.epoch(PeerRole.PLUGIN);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> header.epoch(PeerRole.PLUGIN) > epoch && header.epoch(PeerRole.HOST) > 0);
        long wallClock = System.currentTimeMillis() * 1_000_000L;
        assertThat(header.lastSeen(PeerRole.HOST)).isBetween(wallClock - 60_000_000_000L, wallClock + 60_000_000_000L);
    }
}
