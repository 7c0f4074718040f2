package io.rapace.transport.shm;

import static io.rapace.transport.shm.WakeFixture.CONFIG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.rapace.transport.shm.layout.SegmentLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The slow-beats extension (docs/wake-extension.md section 12) between two transports on one real mapped file: who
 * promises (a liveness timeout of at least 3 s, this project's extensions on), who then beats every second while idle
 * (only a side whose interval is the default one, and only once the peer promised), and that a v1.0 host's header is
 * never written. The pace itself is read from the peer's heartbeat epoch over an idle stretch.
 */
class SlowBeatsTest {

    private static final Duration AWAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void twoJavaPeersPromiseAndBothBeatEverySecondWhileIdle() throws Exception {
        Path file = dir.resolve("both.shm");
        try (ShmTransport host = ShmTransport.create(file, CONFIG, ShmOptions.defaults());
                ShmTransport plugin = ShmTransport.open(file, ShmOptions.defaults())) {
            assertThat(flags(host) & slowBits()).isEqualTo(slowBits());
            // The plugin knows at once; the host at its heartbeat's next turn (its plugin promised after it started).
            await().atMost(AWAIT).until(() -> plugin.heartbeatSlow() && host.heartbeatSlow());
            SegmentHeaderView header = new SegmentHeaderView(host.segment());
            long hostEpoch = header.epoch(PeerRole.HOST);
            long pluginEpoch = header.epoch(PeerRole.PLUGIN);
            Thread.sleep(2_600);
            // Idle (nothing sent): at one beat a second at most 4 beats in 2.6 s, where the 400 ms default makes 6-7.
            assertThat(header.epoch(PeerRole.HOST) - hostEpoch).as("host beats in 2.6 s idle").isBetween(1L, 4L);
            assertThat(header.epoch(PeerRole.PLUGIN) - pluginEpoch).as("plugin beats in 2.6 s idle").isBetween(1L, 4L);
            assertThat(host.isPeerAlive()).isTrue();
            assertThat(plugin.isPeerAlive()).isTrue();
        }
    }

    @Test
    void aHostWithALivenessTimeoutUnderThreeSecondsMakesNoPromiseAndItsPluginKeepsTheDefaultPace() throws Exception {
        Path file = dir.resolve("short-host.shm");
        ShmOptions shortTimeout = ShmOptions.defaults().withLivenessTimeout(Duration.ofMillis(2_500));
        try (ShmTransport host = ShmTransport.create(file, CONFIG, shortTimeout);
                ShmTransport plugin = ShmTransport.open(file, ShmOptions.defaults())) {
            // The plugin promises only to a host that did: a host without the bit reads none of it.
            assertThat(flags(host) & slowBits()).isZero();
            waitTurns();
            assertThat(plugin.heartbeatSlow()).isFalse();
            assertThat(host.heartbeatSlow()).isFalse();
        }
    }

    @Test
    void aPluginWithALivenessTimeoutUnderThreeSecondsMakesNoPromiseAndItsHostKeepsTheDefaultPace() throws Exception {
        Path file = dir.resolve("short-plugin.shm");
        try (ShmTransport host = ShmTransport.create(file, CONFIG, ShmOptions.defaults());
                ShmTransport plugin = ShmTransport.open(file,
                        ShmOptions.defaults().withLivenessTimeout(Duration.ofSeconds(2)))) {
            assertThat(flags(host) & slowBits()).isEqualTo(SegmentLayout.FLAG_ACCEPTS_SLOW_BEATS_A);
            await().atMost(AWAIT).until(plugin::heartbeatSlow);
            waitTurns();
            assertThat(host.heartbeatSlow()).isFalse();
        }
    }

    @Test
    void anIntervalSetByTheUserStaysAsSetEvenWhenThePeerPromised() throws Exception {
        Path file = dir.resolve("user-interval.shm");
        ShmOptions ownInterval = ShmOptions.defaults().withHeartbeatInterval(Duration.ofMillis(200));
        try (ShmTransport host = ShmTransport.create(file, CONFIG, ownInterval);
                ShmTransport plugin = ShmTransport.open(file, ShmOptions.defaults())) {
            assertThat(flags(host) & slowBits()).isEqualTo(slowBits());
            await().atMost(AWAIT).until(plugin::heartbeatSlow);
            waitTurns();
            assertThat(host.heartbeatSlow()).isFalse();
        }
    }

    @Test
    void withTheExtensionsOffNobodyPromisesAndAVersionOneHostsHeaderIsNeverWritten() throws Exception {
        Path file = dir.resolve("v1-host.shm");
        try (ShmTransport host = ShmTransport.create(file, CONFIG, ShmOptions.defaults().withWakeExtension(false));
                ShmTransport plugin = ShmTransport.open(file, ShmOptions.defaults())) {
            waitTurns();
            assertThat(flags(host)).isZero();
            assertThat(plugin.heartbeatSlow()).isFalse();
            assertThat(host.heartbeatSlow()).isFalse();
        }
    }

    @Test
    void thePaceLengthensOnlyOnThePeersBitAndAFixedPaceNever() {
        SegmentHeaderView header = new SegmentHeaderView(Arena.ofAuto().allocate(SegmentLayout.LENGTH, Long.BYTES));
        long defaultNanos = ShmOptions.DEFAULT_HEARTBEAT_INTERVAL.toNanos();
        BeatPace hostPace = BeatPace.of(header, PeerRole.HOST, ShmOptions.defaults());
        BeatPace fixed = BeatPace.fixed(header, defaultNanos);
        assertThat(hostPace.intervalNanos()).isEqualTo(defaultNanos);
        // Its own bit says nothing about the peer.
        header.orFlagsIfSet(0, SegmentLayout.FLAG_ACCEPTS_SLOW_BEATS_A);
        assertThat(hostPace.intervalNanos()).isEqualTo(defaultNanos);
        assertThat(hostPace.slow()).isFalse();
        header.orFlagsIfSet(0, SegmentLayout.FLAG_ACCEPTS_SLOW_BEATS_B);
        assertThat(hostPace.intervalNanos()).isEqualTo(BeatPace.SLOW_INTERVAL.toNanos());
        assertThat(hostPace.slow()).isTrue();
        assertThat(fixed.intervalNanos()).isEqualTo(defaultNanos);
        assertThat(fixed.slow()).isFalse();
        // A pace with the extensions off never looks.
        assertThat(BeatPace.of(header, PeerRole.HOST, ShmOptions.defaults().withWakeExtension(false)).intervalNanos())
                .isEqualTo(defaultNanos);
    }

    @Test
    void aPromiseNeedsTheExtensionsAndALivenessTimeoutOfAtLeastThreeSeconds() {
        assertThat(BeatPace.accepts(ShmOptions.defaults())).isTrue();
        assertThat(BeatPace.accepts(ShmOptions.defaults().withLivenessTimeout(Duration.ofSeconds(3)))).isTrue();
        assertThat(BeatPace.accepts(ShmOptions.defaults().withLivenessTimeout(Duration.ofMillis(2_999)))).isFalse();
        assertThat(BeatPace.accepts(ShmOptions.defaults().withWakeExtension(false))).isFalse();
        assertThat(BeatPace.hostBit(ShmOptions.defaults())).isEqualTo(SegmentLayout.FLAG_ACCEPTS_SLOW_BEATS_A);
    }

    /** Long enough for each heartbeat thread to take two turns at the 400 ms pace. */
    private static void waitTurns() throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(1_000);
    }

    private static int slowBits() {
        return SegmentLayout.FLAG_ACCEPTS_SLOW_BEATS_A | SegmentLayout.FLAG_ACCEPTS_SLOW_BEATS_B;
    }

    private static int flags(ShmTransport transport) {
        return Mem.getIntAcquire(transport.segment(), SegmentLayout.FLAGS_OFFSET);
    }
}
