package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.rapace.transport.shm.layout.DescriptorLayout;
import io.rapace.transport.shm.layout.SegmentLayout;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two transports on one real file; the plugin's heartbeat stops (as a SIGSTOP, a long GC or a debugger
 * would stop it) or its wall clock jumps. Stalled is not dead: the host waits and carries on.
 */
class PeerStallTest {

    private static final Duration LIVENESS = Duration.ofMillis(400);

    private static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(1_500);

    private static final long LONG = TimeUnit.SECONDS.toNanos(10);

    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    @TempDir
    Path dir;

    private ShmTransport host;

    private ShmTransport plugin;

    @BeforeEach
    void connect() {
        Path file = dir.resolve("stall.shm");
        ShmOptions fast = ShmOptions.defaults().withHeartbeatInterval(Duration.ofMillis(50))
                .withLivenessTimeout(LIVENESS);
        host = ShmTransport.create(file, new ShmConfig(2, 256, 2), fast);
        plugin = ShmTransport.open(file, fast);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> host.peerHeartbeatAgeNanos() >= 0 && plugin.peerHeartbeatAgeNanos() >= 0);
    }

    @AfterEach
    void disconnect() {
        plugin.close();
        host.close();
    }

    @Test
    void aStalledPeerIsWaitedForAndTheTransportCarriesOnWhenItsHeartbeatMovesAgain() {
        plugin.heartbeat().pause(true);

        // Longer than the liveness timeout: the receive times out as usual, it does not declare the peer dead.
        assertThat(host.receive(frame -> { }, 1, STALL_NANOS)).isZero();
        assertThat(host.peerState()).isEqualTo(PeerState.STALLED);
        assertThat(host.isPeerAlive()).isFalse();
        assertThat(host.peerHeartbeatAgeNanos()).isGreaterThan(LIVENESS.toNanos());
        // A full ring waits for the stalled peer up to the send's own timeout.
        host.send(1, 0, 0, DescriptorLayout.NO_DEADLINE, new byte[] {1}, 0, 1, 0);
        host.send(1, 0, 0, DescriptorLayout.NO_DEADLINE, new byte[] {2}, 0, 1, 0);
        assertThatThrownBy(() -> host.send(1, 0, 0, DescriptorLayout.NO_DEADLINE, new byte[] {3}, 0, 1,
                TimeUnit.MILLISECONDS.toNanos(800))).isInstanceOf(BackpressureTimeoutException.class);

        plugin.heartbeat().pause(false);
        await().atMost(Duration.ofSeconds(10)).until(() -> host.peerState() == PeerState.ALIVE);
        List<Byte> seen = new ArrayList<>();
        while (seen.size() < 2) {
            plugin.receive(frame -> seen.add(frame.payloadBytes()[0]), 10, LONG);
        }
        assertThat(seen).containsExactly((byte) 1, (byte) 2);
        plugin.send(2, 0, 0, DescriptorLayout.NO_DEADLINE, new byte[] {9}, 0, 1, LONG);
        byte[][] back = new byte[1][];
        assertThat(host.receive(frame -> back[0] = frame.payloadBytes(), 1, LONG)).isEqualTo(1);
        assertThat(back[0]).containsExactly(9);
        assertThat(plugin.peerState()).isEqualTo(PeerState.ALIVE);
    }

    @Test
    void aHostThatStopsHeartbeatingAndRemovesTheFileHasClosedEvenWhenItsProcessIsWatched() throws Exception {
        plugin.peerProcessWatched();
        host.heartbeat().pause(true);
        await().atMost(Duration.ofSeconds(10)).until(() -> plugin.peerState() == PeerState.STALLED);
        assertThat(host.removeSegmentFile()).isTrue();
        AtomicReference<PeerDiedException> died = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            try {
                plugin.receive(frame -> { }, 1, TimeUnit.MILLISECONDS.toNanos(100));
                return false;
            }
            catch (PeerDiedException ex) {
                died.set(ex);
                return true;
            }
        });
        assertThat(died.get()).hasMessageContaining("it closed the segment");
        assertThat(plugin.peerState()).isEqualTo(PeerState.GONE);
    }

    @Test
    void aPluginThatStopsHeartbeatingIsNotClosedByTheHostRemovingItsOwnFile() {
        plugin.heartbeat().pause(true);
        await().atMost(Duration.ofSeconds(10)).until(() -> host.peerState() == PeerState.STALLED);
        assertThat(host.removeSegmentFile()).isTrue();
        assertThat(host.receive(frame -> { }, 1, STALL_NANOS)).isZero();
        assertThat(host.peerState()).isEqualTo(PeerState.STALLED);
    }

    @Test
    void aV1HostWithoutTheExtensionBitIsJudgedAsSpecThreeSays() {
        Path file = dir.resolve("v1.shm");
        ShmOptions v1 = ShmOptions.defaults().withHeartbeatInterval(Duration.ofMillis(50))
                .withLivenessTimeout(LIVENESS).withWakeExtension(false);
        ShmOptions ours = ShmOptions.defaults().withHeartbeatInterval(Duration.ofMillis(50))
                .withLivenessTimeout(LIVENESS);
        try (ShmTransport v1Host = ShmTransport.create(file, new ShmConfig(2, 256, 2), v1);
                ShmTransport plugin = ShmTransport.open(file, ours)) {
            assertThat(plugin.hostClosesByRemoval()).isFalse();
            await().atMost(Duration.ofSeconds(10)).until(() -> plugin.peerState() == PeerState.ALIVE);
            v1Host.heartbeat().pause(true);
            // No 30 s peerGoneAfter for a v1.0 host: stale beyond the liveness timeout is dead.
            await().atMost(Duration.ofSeconds(10)).until(() -> plugin.peerState() == PeerState.GONE);
        }
        // Our own host promises to close by removal, and its plugin keeps the stall rules (the other tests).
        assertThat(host.hostClosesByRemoval()).isTrue();
        assertThat(plugin.hostClosesByRemoval()).isTrue();
    }

    @Test
    void aHostThatRunsTheWakeExtensionButMadeNoPromiseToCloseByRemovalIsJudgedAsSpecThreeSays() throws Exception {
        // Another implementation of the wake extension (docs/wake-extension.md) that ends a session the v1.0 way: it
        // stops heartbeating and keeps its process and the file. Made here from ours by clearing the promise's bit
        // before the plugin opens.
        Path file = dir.resolve("wake-only.shm");
        ShmOptions fast = ShmOptions.defaults().withHeartbeatInterval(Duration.ofMillis(50))
                .withLivenessTimeout(LIVENESS);
        try (ShmTransport wakeOnlyHost = ShmTransport.create(file, new ShmConfig(2, 256, 2), fast)) {
            int flags = Mem.getIntAcquire(wakeOnlyHost.segment(), SegmentLayout.FLAGS_OFFSET);
            Mem.putIntRelease(wakeOnlyHost.segment(), SegmentLayout.FLAGS_OFFSET,
                    flags & ~SegmentLayout.FLAG_HOST_CLOSES_BY_REMOVAL);
            try (ShmTransport plugin = ShmTransport.open(file, fast)) {
                assertThat(plugin.hostClosesByRemoval()).isFalse();
                assertThat(plugin.wakeExtensionActive()).isEqualTo(Futex.isAvailable());
                await().atMost(Duration.ofSeconds(10)).until(() -> plugin.peerState() == PeerState.ALIVE);
                wakeOnlyHost.heartbeat().pause(true);
                // Its stale heartbeat is its end, as from a v1.0 host: no 30 s peerGoneAfter.
                await().atMost(Duration.ofSeconds(10)).until(() -> plugin.peerState() == PeerState.GONE);
            }
        }
    }

    @Test
    void anUnwatchedPeerStalledBeyondPeerGoneAfterIsGone() {
        Path file = dir.resolve("gone.shm");
        ShmOptions fast = ShmOptions.defaults().withHeartbeatInterval(Duration.ofMillis(50))
                .withLivenessTimeout(LIVENESS).withPeerGoneAfter(Duration.ofMillis(900));
        try (ShmTransport survivor = ShmTransport.create(file, new ShmConfig(2, 256, 2), fast);
                ShmTransport frozen = ShmTransport.open(file, fast)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> survivor.peerState() == PeerState.ALIVE);
            frozen.heartbeat().pause(true);
            await().atMost(Duration.ofSeconds(10)).until(() -> survivor.peerState() == PeerState.STALLED);
            assertThatThrownBy(() -> {
                while (true) {
                    survivor.receive(frame -> { }, 1, LONG);
                }
            }).isInstanceOf(PeerDiedException.class).hasMessageContaining("PLUGIN (peer B)")
                    .hasMessageContaining("peerGoneAfter=PT0.9S");
            // Gone is for good: a heartbeat moving again does not bring the peer back.
            frozen.heartbeat().pause(false);
            await().pollDelay(Duration.ofMillis(200)).atMost(Duration.ofSeconds(10))
                    .until(() -> frozen.peerState() == PeerState.ALIVE);
            assertThat(survivor.peerState()).isEqualTo(PeerState.GONE);
        }
    }

    @Test
    void aWatchedPeerIsNeverGoneByStallAloneButAtOnceWhenItsProcessIsSeenGone() throws Exception {
        Path file = dir.resolve("watched.shm");
        ShmOptions fast = ShmOptions.defaults().withHeartbeatInterval(Duration.ofMillis(50))
                .withLivenessTimeout(LIVENESS).withPeerGoneAfter(LIVENESS);
        try (ShmTransport survivor = ShmTransport.create(file, new ShmConfig(2, 256, 2), fast);
                ShmTransport frozen = ShmTransport.open(file, fast)) {
            survivor.peerProcessWatched();
            await().atMost(Duration.ofSeconds(10)).until(() -> survivor.peerState() == PeerState.ALIVE);
            frozen.heartbeat().pause(true);
            assertThat(survivor.receive(frame -> { }, 1, STALL_NANOS)).isZero();
            assertThat(survivor.peerState()).isEqualTo(PeerState.STALLED);

            survivor.send(1, 0, 0, DescriptorLayout.NO_DEADLINE, new byte[] {1}, 0, 1, 0);
            survivor.send(1, 0, 0, DescriptorLayout.NO_DEADLINE, new byte[] {2}, 0, 1, 0);
            java.util.concurrent.CompletableFuture<Long> waitingSend = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> survivor.send(1, 0, 0, DescriptorLayout.NO_DEADLINE, new byte[] {3}, 0, 1, LONG));
            java.util.concurrent.CompletableFuture<Integer> waitingReceive = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> survivor.receive(frame -> { }, 1, LONG));
            await().pollDelay(Duration.ofMillis(100)).atMost(Duration.ofSeconds(10))
                    .until(() -> !waitingSend.isDone() && !waitingReceive.isDone());

            survivor.markPeerGone("plugin process 42 exited with code 137");

            assertThat(survivor.peerState()).isEqualTo(PeerState.GONE);
            assertThatThrownBy(() -> waitingSend.get(10, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(PeerDiedException.class).hasMessageContaining("exited with code 137");
            assertThatThrownBy(() -> waitingReceive.get(10, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(PeerDiedException.class).hasMessageContaining("exited with code 137");
        }
    }

    @Test
    void aWallClockJumpOfThePeerDoesNotMatterWhileItsHeartbeatMoves() {
        plugin.heartbeat().wallClock(() -> WallClock.nowNanos() - HOUR);
        assertThat(host.receive(frame -> { }, 1, STALL_NANOS)).isZero();
        assertThat(host.isPeerAlive()).isTrue();

        plugin.heartbeat().wallClock(() -> WallClock.nowNanos() + HOUR);
        assertThat(host.receive(frame -> { }, 1, STALL_NANOS)).isZero();
        assertThat(host.isPeerAlive()).isTrue();

        // A wall clock that stands still: the epoch still counts up, and that is a heartbeat too.
        long frozen = WallClock.nowNanos();
        plugin.heartbeat().wallClock(() -> frozen);
        assertThat(host.receive(frame -> { }, 1, STALL_NANOS)).isZero();
        assertThat(host.isPeerAlive()).isTrue();
    }
}
