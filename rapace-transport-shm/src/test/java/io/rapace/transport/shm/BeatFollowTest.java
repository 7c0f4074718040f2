package io.rapace.transport.shm;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.rapace.transport.shm.layout.SegmentLayout;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Beat follow (docs/wake-extension.md section 12): a plugin's heartbeat thread sleeps on the header's {@code beat_seq}
 * and runs when the host's timed beat wakes it, keeps its own timer as a backstop, and the bits are set only when
 * both sides run it. Each side's heartbeat has a thread of its own here ({@link Heartbeats}), as two processes would,
 * on a real mapped segment.
 */
class BeatFollowTest {

    private static final ShmConfig CONFIG = new ShmConfig(16, 256, 8);

    @TempDir
    Path dir;

    @BeforeEach
    void futexIsAvailable() {
        WakeFixture.requireFutex();
    }

    @Test
    void aPluginsHeartbeatThreadRunsAtEachOfTheHostsTimedBeats() {
        MappedSegment mapped = SegmentCreator.create(dir.resolve("follow.shm"), CONFIG, hostFlags());
        try {
            SegmentHeaderView header = new SegmentHeaderView(mapped.segment());
            BeatFollow hostSide = BeatFollow.forHost(header, mapped.segment());
            BeatFollow pluginSide = BeatFollow.forPlugin(header, mapped.segment(), true);
            assertThat(header.flagsAcquire() & SegmentLayout.FLAGS_BEAT_BOTH).isEqualTo(SegmentLayout.FLAGS_BEAT_BOTH);
            assertThat(pluginSide.follows()).isTrue();
            assertThat(hostSide.follows()).as("the host wakes, it does not follow").isFalse();

            Heartbeats pluginThread = new Heartbeats("test-plugin-heartbeat-" + System.nanoTime());
            // The plugin's own timer alone would run its thread about twice a second (its backstop: 450 ms).
            Heartbeat plugin = new Heartbeat(header, PeerRole.PLUGIN, millis(400), "plugin", pluginThread, () -> { },
                    pluginSide);
            Heartbeats hostThread = new Heartbeats("test-host-heartbeat-" + System.nanoTime());
            Heartbeat host = new Heartbeat(header, PeerRole.HOST, millis(150), "host", hostThread, () -> { }, hostSide);
            plugin.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> pluginThread.followSleeps() >= 1);
            long roundsBefore = pluginThread.rounds();
            int seqBefore = pluginSide.seq();
            host.start();
            // About seven host beats a second, each waking the plugin's thread: far more rounds than its own timer.
            long started = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).until(() -> pluginThread.rounds() >= roundsBefore + 12);
            assertThat(System.nanoTime() - started).as("12 rounds at the host's pace, not the 5.4 s of its own timer")
                    .isLessThan(millis(4_000));
            assertThat(pluginSide.seq() - seqBefore).as("beat_seq bumps by the host's timed beats").isGreaterThanOrEqualTo(12);

            // Its beats still come at its own pace: at most one per half interval (here every other host beat).
            long epoch = header.epoch(PeerRole.PLUGIN);
            sleep(1_200);
            assertThat(header.epoch(PeerRole.PLUGIN) - epoch).isBetween(2L, 5L);
            host.stop();
            plugin.stop();
        }
        finally {
            mapped.close();
        }
    }

    @Test
    void aFollowingPluginStillBeatsByItsOwnTimerWhenItsHostNeitherBeatsNorWakes() {
        MappedSegment mapped = SegmentCreator.create(dir.resolve("silent.shm"), CONFIG, hostFlags());
        try {
            SegmentHeaderView header = new SegmentHeaderView(mapped.segment());
            BeatFollow pluginSide = BeatFollow.forPlugin(header, mapped.segment(), true);
            assertThat(pluginSide.follows()).isTrue();
            Heartbeats pluginThread = new Heartbeats("test-plugin-heartbeat-" + System.nanoTime());
            Heartbeat plugin = new Heartbeat(header, PeerRole.PLUGIN, millis(100), "plugin", pluginThread, () -> { },
                    pluginSide);
            plugin.start();
            long started = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).until(() -> header.epoch(PeerRole.PLUGIN) >= 6);
            // Backstop 112.5 ms: five beats after the first take at least 560 ms.
            assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(millis(500));
            assertThat(pluginThread.followSleeps()).as("it slept on beat_seq meanwhile").isPositive();
            assertThat(header.epoch(PeerRole.HOST)).isZero();
            plugin.stop();
        }
        finally {
            mapped.close();
        }
    }

    @Test
    void aHostThatBumpsBeatSeqWithoutPauseCannotMakeThePluginsThreadSpin() {
        MappedSegment mapped = SegmentCreator.create(dir.resolve("hostile.shm"), CONFIG, hostFlags());
        try {
            SegmentHeaderView header = new SegmentHeaderView(mapped.segment());
            BeatFollow pluginSide = BeatFollow.forPlugin(header, mapped.segment(), true);
            Heartbeats pluginThread = new Heartbeats("test-plugin-heartbeat-" + System.nanoTime());
            Heartbeat plugin = new Heartbeat(header, PeerRole.PLUGIN, millis(400), "plugin", pluginThread, () -> { },
                    pluginSide);
            plugin.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> pluginThread.followSleeps() >= 1);
            MemorySegment word = Futex.word(mapped.segment(), SegmentLayout.BEAT_SEQ_OFFSET);
            long rounds = pluginThread.rounds();
            long epoch = header.epoch(PeerRole.PLUGIN);
            long until = System.nanoTime() + millis(1_000);
            int bumps = 0;
            while (System.nanoTime() - until < 0) {
                Futex.bumpAndWake(mapped.segment(), SegmentLayout.BEAT_SEQ_OFFSET, word, Integer.MAX_VALUE);
                bumps++;
            }
            // At most a followed and an own-timer round per quarter interval (100 ms): about 20 in the second.
            assertThat(bumps).isGreaterThan(1_000);
            assertThat(pluginThread.rounds() - rounds).isLessThanOrEqualTo(30);
            assertThat(header.epoch(PeerRole.PLUGIN) - epoch).as("beats at its own pace").isBetween(1L, 6L);
            plugin.stop();
        }
        finally {
            mapped.close();
        }
    }

    @Test
    void stoppingTheFollowedHeartbeatEndsItsThreadsSleepAtOnce() {
        MappedSegment mapped = SegmentCreator.create(dir.resolve("stop.shm"), CONFIG, hostFlags());
        try {
            SegmentHeaderView header = new SegmentHeaderView(mapped.segment());
            BeatFollow pluginSide = BeatFollow.forPlugin(header, mapped.segment(), true);
            Heartbeats pluginThread = new Heartbeats("test-plugin-heartbeat-" + System.nanoTime());
            // A 60 s interval: its thread sleeps on beat_seq for over a minute unless something ends the sleep.
            Heartbeat plugin = new Heartbeat(header, PeerRole.PLUGIN, millis(60_000), "plugin", pluginThread, () -> { },
                    pluginSide);
            plugin.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> pluginThread.followSleeps() >= 1);
            sleep(100);
            long rounds = pluginThread.rounds();
            plugin.stop();
            await().atMost(Duration.ofSeconds(5)).until(() -> pluginThread.rounds() > rounds);
            assertThat(pluginThread.size()).isZero();
        }
        finally {
            mapped.close();
        }
    }

    @Test
    void aHostWithoutTheBitIsNeverFollowedAndItsPluginWritesNothing() {
        int flags = SegmentLayout.FLAG_WAKE_A | SegmentLayout.FLAG_HOST_CLOSES_BY_REMOVAL;
        MappedSegment mapped = SegmentCreator.create(dir.resolve("no-bit.shm"), CONFIG, flags);
        try {
            SegmentHeaderView header = new SegmentHeaderView(mapped.segment());
            assertThat(BeatFollow.forPlugin(header, mapped.segment(), true)).isSameAs(BeatFollow.NONE);
            assertThat(BeatFollow.forHost(header, mapped.segment())).isSameAs(BeatFollow.NONE);
            assertThat(header.flagsAcquire()).isEqualTo(flags);
        }
        finally {
            mapped.close();
        }
        mapped = SegmentCreator.create(dir.resolve("plugin-off.shm"), CONFIG, hostFlags());
        try {
            SegmentHeaderView header = new SegmentHeaderView(mapped.segment());
            assertThat(BeatFollow.forPlugin(header, mapped.segment(), false)).isSameAs(BeatFollow.NONE);
            assertThat(header.flagsAcquire()).isEqualTo(hostFlags());
            // A host whose plugin does not follow never bumps beat_seq.
            BeatFollow hostSide = BeatFollow.forHost(header, mapped.segment());
            hostSide.afterTimedBeat(header);
            assertThat(Mem.getIntAcquire(mapped.segment(), SegmentLayout.BEAT_SEQ_OFFSET)).isZero();
        }
        finally {
            mapped.close();
        }
    }

    @Test
    void twoJavaTransportsUseItAndAFollowingPluginClosesPromptly() throws Exception {
        Path file = dir.resolve("pair.shm");
        try (ShmTransport host = ShmTransport.create(file, CONFIG, ShmOptions.defaults())) {
            ShmTransport plugin = ShmTransport.open(file, ShmOptions.defaults());
            MemorySegment segment = host.segment();
            int flags = new SegmentHeaderView(segment).flagsAcquire();
            assertThat(flags & SegmentLayout.FLAGS_BEAT_BOTH).isEqualTo(SegmentLayout.FLAGS_BEAT_BOTH);
            assertThat(plugin.heartbeat().follow().follows()).isTrue();
            int seq = Mem.getIntAcquire(segment, SegmentLayout.BEAT_SEQ_OFFSET);
            // The host's timed beats (every 400 ms by default) bump beat_seq now that both bits are set.
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Mem.getIntAcquire(segment, SegmentLayout.BEAT_SEQ_OFFSET) - seq >= 2);
            long started = System.nanoTime();
            plugin.close();
            assertThat(System.nanoTime() - started).as("close while the heartbeat thread may sleep on beat_seq")
                    .isLessThan(TimeUnit.SECONDS.toNanos(1));
            assertThat(plugin.isClosed()).isTrue();
        }
    }

    private static int hostFlags() {
        return SegmentLayout.FLAG_WAKE_A | SegmentLayout.FLAG_HOST_CLOSES_BY_REMOVAL | SegmentLayout.FLAG_BEAT_WAKE_A;
    }

    private static long millis(long value) {
        return TimeUnit.MILLISECONDS.toNanos(value);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }
}
