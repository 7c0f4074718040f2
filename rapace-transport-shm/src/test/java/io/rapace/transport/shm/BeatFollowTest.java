package io.rapace.transport.shm;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.rapace.transport.shm.layout.SegmentLayout;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Beat follow (docs/wake-extension.md section 12): a plugin's heartbeat thread sleeps on the header's {@code beat_seq}
 * and runs when the host's timed beat wakes it, keeps its own timer as a backstop, and the bits are set only when
 * both sides run it. Each side's heartbeat has a thread of its own here ({@link Heartbeats}), as two processes would,
 * on a real mapped segment.
 */
class BeatFollowTest extends FutexSegmentTest {

    private static final ShmConfig CONFIG = new ShmConfig(16, 256, 8);

    @Test
    void aPluginsHeartbeatThreadRunsAtEachOfTheHostsTimedBeats() {
        // The plugin's own timer alone would run its thread about twice a second (its backstop: 450 ms).
        try (Follower plugin = Follower.start(dir.resolve("follow.shm"), 400)) {
            BeatFollow hostSide = BeatFollow.forHost(plugin.header(), plugin.mapped().segment());
            assertThat(plugin.header().flagsAcquire() & SegmentLayout.FLAGS_BEAT_BOTH)
                    .isEqualTo(SegmentLayout.FLAGS_BEAT_BOTH);
            assertThat(hostSide.follows()).as("the host wakes, it does not follow").isFalse();
            Heartbeats hostThread = new Heartbeats("test-host-heartbeat-" + System.nanoTime());
            Heartbeat host = new Heartbeat(plugin.header(), PeerRole.HOST, millis(150), "host", hostThread, () -> { },
                    hostSide);
            long roundsBefore = plugin.thread().rounds();
            int seqBefore = plugin.side().seq();
            host.start();
            // About seven host beats a second, each waking the plugin's thread: far more rounds than its own timer.
            long started = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).until(() -> plugin.thread().rounds() >= roundsBefore + 12);
            assertThat(System.nanoTime() - started).as("12 rounds at the host's pace, not the 5.4 s of its own timer")
                    .isLessThan(millis(4_000));
            assertThat(plugin.side().seq() - seqBefore).as("beat_seq bumps by the host's timed beats")
                    .isGreaterThanOrEqualTo(12);

            // Its beats still come at its own pace: at most one per half interval (here every other host beat).
            long epoch = plugin.header().epoch(PeerRole.PLUGIN);
            sleep(1_200);
            // Four beats expected (300 ms apart), not one per host wake-up (eight); one at least even on a starved machine.
            assertThat(plugin.header().epoch(PeerRole.PLUGIN) - epoch).isBetween(1L, 5L);
            host.stop();
        }
    }

    @Test
    void aFollowingPluginStillBeatsByItsOwnTimerWhenItsHostNeitherBeatsNorWakes() {
        long started = System.nanoTime();
        try (Follower plugin = Follower.start(dir.resolve("silent.shm"), 100)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> plugin.header().epoch(PeerRole.PLUGIN) >= 6);
            // Backstop 112.5 ms: five beats after the first take at least 560 ms.
            assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(millis(500));
            assertThat(plugin.thread().followSleeps()).as("it slept on beat_seq meanwhile").isPositive();
            assertThat(plugin.header().epoch(PeerRole.HOST)).isZero();
        }
    }

    @Test
    void aHostThatBumpsBeatSeqWithoutPauseCannotMakeThePluginsThreadSpin() {
        try (Follower plugin = Follower.start(dir.resolve("hostile.shm"), 400)) {
            MemorySegment segment = plugin.mapped().segment();
            MemorySegment word = Futex.word(segment, SegmentLayout.BEAT_SEQ_OFFSET);
            long rounds = plugin.thread().rounds();
            long epoch = plugin.header().epoch(PeerRole.PLUGIN);
            long until = System.nanoTime() + millis(1_000);
            int bumps = 0;
            while (System.nanoTime() - until < 0) {
                Futex.bumpAndWake(segment, SegmentLayout.BEAT_SEQ_OFFSET, word, Integer.MAX_VALUE);
                bumps++;
            }
            // At most a followed and an own-timer round per quarter interval (100 ms): about 20 in the second.
            assertThat(bumps).isGreaterThan(1_000);
            assertThat(plugin.thread().rounds() - rounds).isLessThanOrEqualTo(30);
            assertThat(plugin.header().epoch(PeerRole.PLUGIN) - epoch).as("beats at its own pace, not at each bump")
                    .isLessThanOrEqualTo(6);
        }
    }

    @Test
    void stoppingTheFollowedHeartbeatEndsItsThreadsSleepAtOnce() {
        // A 60 s interval: its thread sleeps on beat_seq for over a minute unless something ends the sleep.
        try (Follower plugin = Follower.start(dir.resolve("stop.shm"), 60_000)) {
            sleep(100);
            long rounds = plugin.thread().rounds();
            plugin.heartbeat().stop();
            await().atMost(Duration.ofSeconds(5)).until(() -> plugin.thread().rounds() > rounds);
            assertThat(plugin.thread().size()).isZero();
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

    @Test
    void theSystemPropertyTurnsItOffOnTheHostAndSoForBoth() throws Exception {
        assertThat(probe(true)).contains("PROBE OK");
        assertThat(probe(false)).contains("PROBE OK");
    }

    /** A child JVM with {@code -Drapace.shm.beat-follow=false} unless {@code on} ({@link BeatFollowOffProbe}). */
    private String probe(boolean on) throws Exception {
        return Probe.run(dir.resolve("probe-" + on + ".log"), on ? List.of() : List.of("-Drapace.shm.beat-follow=false"),
                BeatFollowOffProbe.class, dir.toString(), Boolean.toString(on));
    }

    /**
     * A plugin's heartbeat that follows, on a segment of its own whose host advertised beat follow, with a thread of
     * its own, started and asleep on {@code beat_seq}; closing stops it and unmaps the segment.
     */
    private record Follower(MappedSegment mapped, SegmentHeaderView header, BeatFollow side, Heartbeats thread,
            Heartbeat heartbeat) implements AutoCloseable {

        static Follower start(Path file, long intervalMillis) {
            MappedSegment mapped = SegmentCreator.create(file, CONFIG, hostFlags());
            SegmentHeaderView header = new SegmentHeaderView(mapped.segment());
            BeatFollow side = BeatFollow.forPlugin(header, mapped.segment(), true);
            assertThat(side.follows()).isTrue();
            Heartbeats thread = new Heartbeats("test-plugin-heartbeat-" + System.nanoTime());
            Heartbeat heartbeat = new Heartbeat(header, PeerRole.PLUGIN, millis(intervalMillis), "plugin", thread,
                    () -> { }, side);
            heartbeat.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> thread.followSleeps() >= 1);
            return new Follower(mapped, header, side, thread, heartbeat);
        }

        @Override
        public void close() {
            try {
                this.heartbeat.stop();
            }
            finally {
                this.mapped.close();
            }
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
