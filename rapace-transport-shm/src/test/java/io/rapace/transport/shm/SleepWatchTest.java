package io.rapace.transport.shm;

import static io.rapace.transport.shm.WakeFixture.CONFIG;
import static io.rapace.transport.shm.WakeFixture.LAYOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.rapace.transport.shm.layout.DescriptorLayout;

import org.junit.jupiter.api.Test;

/**
 * {@link SleepWatch}: a receive asleep in the kernel, on a real mapped file, is woken by the JVM's heartbeat thread
 * when it should not sleep on, though nothing else wakes it: frames the peer published without a wake, an unwatched
 * peer's death, a host's close; and that it wakes a receive's sleep about once a second to keep it warm, but not a
 * sleep that only waits for frames. Each receive has a 60 s timeout and each sleep a 10 s bound: the tests look at
 * how the sleep ended (woken, not timed out) and at the watch's counts, and at elapsed time only as a lower bound.
 */
class SleepWatchTest extends FutexSegmentTest {

    private static final long MINUTE = TimeUnit.SECONDS.toNanos(60);

    private static final Duration LIVENESS = Duration.ofMillis(400);

    /** Heartbeats every 50 ms: the watch looks at least that often. */
    private static final ShmOptions FAST = ShmOptions.defaults().withHeartbeatInterval(Duration.ofMillis(50))
            .withLivenessTimeout(LIVENESS);

    @Test
    void framesAPeerPublishedWithoutWakingAreReadAtTheWatchsNextLook() throws Exception {
        Path file = dir.resolve("mute.shm");
        try (ShmTransport host = ShmTransport.create(file, CONFIG, FAST);
                ShmTransport plugin = ShmTransport.open(file, FAST)) {
            // The host shows the extension, so the plugin sleeps in the kernel; this writer publishes as the host
            // would, but never wakes (a peer with the bit set and no FUTEX_WAKE: buggy or hostile).
            RawRingWriter mute = new RawRingWriter(host.segment(), LAYOUT);
            for (int round = 1; round <= 3; round++) {
                List<Integer> got = new ArrayList<>();
                CompletableFuture<Integer> received = CompletableFuture.supplyAsync(
                        () -> plugin.receive(frame -> got.add(frame.methodId()), 8, MINUTE));
                WakeFixture.awaitPluginAsleep(host, plugin, round);
                mute.enqueue(RawRingWriter.inlineDescriptor(4));

                assertThat(received.get(60, TimeUnit.SECONDS)).isOne();
                assertThat(got).containsExactly(7);
                assertThat(plugin.lastFutexSleepResult()).as("how the sleep ended").isIn(Futex.WOKEN, Futex.MISMATCH);
                assertThat(plugin.sleepWatchWakes()).isEqualTo(round);
            }
            assertThat(host.futexWakes()).as("nobody woke the plugin but the watch").isZero();
        }
    }

    @Test
    void anUnwatchedPeerThatStallsBeyondPeerGoneAfterWhileTheReceiveSleepsIsReportedDead() throws Exception {
        Path file = dir.resolve("unwatched.shm");
        ShmOptions goneAfter = FAST.withPeerGoneAfter(Duration.ofMillis(900));
        try (ShmTransport survivor = ShmTransport.create(file, CONFIG, goneAfter);
                ShmTransport frozen = ShmTransport.open(file, goneAfter)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> survivor.peerState() == PeerState.ALIVE);
            CompletableFuture<Integer> received = receiveInBackground(survivor);
            WakeFixture.awaitSleeps(survivor, 1);
            frozen.heartbeat().pause(true);

            assertWokenByTheWatchToADeath(received, survivor, "peerGoneAfter=PT0.9S");
        }
    }

    @Test
    void aHostThatStopsHeartbeatingAndRemovesTheFileWhileThePluginSleepsHasClosed() throws Exception {
        Path file = dir.resolve("closing.shm");
        try (ShmTransport host = ShmTransport.create(file, CONFIG, FAST);
                ShmTransport plugin = ShmTransport.open(file, FAST)) {
            plugin.peerProcessWatched();  // as a plugin whose host process is watched: no verdict from a stall alone
            await().atMost(Duration.ofSeconds(10)).until(() -> plugin.peerState() == PeerState.ALIVE);
            CompletableFuture<Integer> received = receiveInBackground(plugin);
            WakeFixture.awaitPluginAsleep(host, plugin, 1);
            // What a closing host does to a v1.0 plugin (no close frame): it stops heartbeating, removes the file.
            host.heartbeat().pause(true);
            assertThat(host.removeSegmentFile()).isTrue();

            assertWokenByTheWatchToADeath(received, plugin, "it closed the segment");
        }
    }

    @Test
    void aLivePeerThatSendsNothingLeavesTheReceiveWaitingLookedAtOnlyToKeepItWarm() throws Exception {
        Path file = dir.resolve("quiet.shm");
        try (ShmTransport host = ShmTransport.create(file, CONFIG, FAST);
                ShmTransport plugin = ShmTransport.open(file, FAST)) {
            CompletableFuture<Integer> received = receiveInBackground(plugin);
            WakeFixture.awaitPluginAsleep(host, plugin, 1);
            // Forty of the plugin's heartbeat turns (2 s at 50 ms), each a look at the sleeping receive.
            long epoch = new SegmentHeaderView(plugin.segment()).epoch(PeerRole.PLUGIN);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> new SegmentHeaderView(plugin.segment()).epoch(PeerRole.PLUGIN) >= epoch + 40);
            assertThat(plugin.sleepWatchWakes()).as("no wake for frames or a death").isZero();
            // Each keep-warm look ends one sleep, after which the receive, finding nothing, sleeps again.
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> plugin.futexSleeps() == 1 + plugin.sleepWatchWarmLooks());
            assertThat(received).isNotDone();

            host.send(1, 5, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, new byte[] {1}, 0, 1, WakeFixture.TIMEOUT);
            assertThat(received.get(60, TimeUnit.SECONDS)).isOne();
        }
    }

    @Test
    void aReceiveAsleepInTheKernelIsWokenToLookAboutOnceASecondAndSleepsOn() throws Exception {
        Path file = dir.resolve("warm.shm");
        try (ShmTransport host = ShmTransport.create(file, CONFIG, FAST);
                ShmTransport plugin = ShmTransport.open(file, FAST)) {
            long start = System.nanoTime();  // before the sleep began, so before the watch first saw it
            CompletableFuture<Integer> received = receiveInBackground(plugin);
            WakeFixture.awaitPluginAsleep(host, plugin, 1);

            await().atMost(Duration.ofSeconds(30)).until(() -> plugin.sleepWatchWarmLooks() >= 1);
            assertThat(System.nanoTime() - start).as("not before the watch saw the sleep for KEEP_WARM_NANOS")
                    .isGreaterThanOrEqualTo(SleepWatch.KEEP_WARM_NANOS);
            await().atMost(Duration.ofSeconds(30)).until(() -> plugin.sleepWatchWarmLooks() >= 2);
            await().atMost(Duration.ofSeconds(30)).until(() -> plugin.futexSleeps() >= 3);
            assertThat(received).as("woken to look, the receive went back to sleep").isNotDone();
            assertThat(plugin.sleepWatchWakes()).isZero();
            assertThat(host.futexWakes()).as("nobody but the watch woke it").isZero();
        }
    }

    @Test
    void aSleepThatWaitsForFramesWithoutReadingIsNotKeptWarm() throws Exception {
        // awaitFrames: the session's loop idle without the role (a caller reads its own answer), not on a first
        // call's way: left to its own timeout.
        Path file = dir.resolve("await.shm");
        try (ShmTransport host = ShmTransport.create(file, CONFIG, FAST);
                ShmTransport plugin = ShmTransport.open(file, FAST)) {
            CompletableFuture<Void> waited = CompletableFuture.runAsync(() -> plugin.awaitFrames(MINUTE));
            WakeFixture.awaitPluginAsleep(host, plugin, 1);
            long epoch = new SegmentHeaderView(plugin.segment()).epoch(PeerRole.PLUGIN);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> new SegmentHeaderView(plugin.segment()).epoch(PeerRole.PLUGIN) >= epoch + 40);

            assertThat(plugin.sleepWatchWarmLooks()).isZero();
            assertThat(plugin.futexSleeps()).as("still the first sleep").isOne();
            assertThat(waited).isNotDone();

            host.send(1, 5, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, new byte[] {1}, 0, 1, WakeFixture.TIMEOUT);
            waited.get(60, TimeUnit.SECONDS);
        }
    }

    /** A receive of one frame at most, with a minute's timeout, on another thread. */
    private static CompletableFuture<Integer> receiveInBackground(ShmTransport transport) {
        return CompletableFuture.supplyAsync(() -> transport.receive(frame -> { }, 1, MINUTE));
    }

    /** The sleeping {@code received} ended in a death saying {@code why}; the watch, not a timeout, woke its sleep. */
    private static void assertWokenByTheWatchToADeath(CompletableFuture<Integer> received, ShmTransport sleeper,
            String why) {
        assertThat(received).failsWithin(60, TimeUnit.SECONDS).withThrowableThat()
                .withCauseInstanceOf(PeerDiedException.class)
                .withMessageContaining(why);
        assertThat(sleeper.lastFutexSleepResult()).as("how the sleep ended").isIn(Futex.WOKEN, Futex.MISMATCH);
        assertThat(sleeper.sleepWatchWakes()).isPositive();
    }
}
