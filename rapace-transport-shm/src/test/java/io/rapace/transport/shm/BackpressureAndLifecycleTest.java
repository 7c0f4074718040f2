package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.rapace.transport.shm.layout.DescriptorLayout;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backpressure, payload limits, slot accounting, liveness and close. */
class BackpressureAndLifecycleTest {

    private static final int CAPACITY = 8;
    private static final int SLOT_SIZE = 512;
    private static final int SLOT_COUNT = 4;
    private static final long SHORT = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long LONG = TimeUnit.SECONDS.toNanos(30);

    @TempDir
    Path dir;

    private ShmTransport host;
    private ShmTransport plugin;

    @BeforeEach
    void connect() {
        Path file = dir.resolve("bp.shm");
        host = ShmTransport.create(file, new ShmConfig(CAPACITY, SLOT_SIZE, SLOT_COUNT), ShmOptions.defaults());
        plugin = ShmTransport.open(file, ShmOptions.defaults());
    }

    @AfterEach
    void disconnect() {
        plugin.close();
        host.close();
    }

    @Test
    void fullRingMakesTheSenderWaitThenTimeOutNamingTheRing() {
        for (int i = 0; i < CAPACITY; i++) {
            host.send(1, 0, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, new byte[] {(byte) i}, 0, 1, 0);
        }
        long start = System.nanoTime();
        assertThatThrownBy(() -> host.send(1, 0, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, new byte[1], 0, 1, SHORT))
                .isInstanceOf(BackpressureTimeoutException.class)
                .hasMessageContaining("ring A->B stayed full (capacity 8)").hasMessageContaining("200 ms");
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(SHORT);
        assertThat(host.stats().sendRingOccupancy()).isEqualTo(CAPACITY);
        assertThat(drain(plugin)).hasSize(CAPACITY);
        host.send(1, 0, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, new byte[1], 0, 1, 0);
    }

    @Test
    void noFreeSlotMakesTheSenderWaitThenTimeOutNamingThePool() {
        for (int i = 0; i < SLOT_COUNT; i++) {
            host.send(1, 0, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, new byte[100], 0, 100, 0);
        }
        assertThat(host.stats().slotsInUse()).isEqualTo(SLOT_COUNT);
        assertThatThrownBy(() -> host.send(1, 0, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, new byte[100], 0, 100,
                SHORT)).isInstanceOf(BackpressureTimeoutException.class)
                .hasMessageContaining("no free slot among 4 slots of 512 bytes");
        assertThat(host.stats().slotsInUse()).as("the failed send leaks nothing").isEqualTo(SLOT_COUNT);
        assertThat(host.stats().framesSent()).isEqualTo(SLOT_COUNT);
        drain(plugin);
        assertThat(host.stats().slotsInUse()).isZero();
    }

    @Test
    void waitingSenderProceedsOnceTheReceiverDrains() throws Exception {
        for (int i = 0; i < CAPACITY; i++) {
            host.send(1, 0, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, new byte[] {(byte) i}, 0, 1, 0);
        }
        CompletableFuture<Long> blocked = CompletableFuture.supplyAsync(
                () -> host.send(1, 0, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, new byte[] {99}, 0, 1, LONG));
        List<byte[]> received = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            received.addAll(drain(plugin));
            return blocked.isDone();
        });
        received.addAll(drain(plugin));
        assertThat(blocked.get()).isEqualTo(CAPACITY + 1L);
        assertThat(received).hasSize(CAPACITY + 1);
        assertThat(received.get(CAPACITY)).containsExactly(99);
    }

    @Test
    void payloadLargerThanASlotFailsAtOnceNamingBothSizes() {
        assertThatThrownBy(() -> host.send(1, 0, 0, DescriptorLayout.NO_DEADLINE, new byte[SLOT_SIZE + 1], 0,
                SLOT_SIZE + 1, LONG)).isInstanceOfSatisfying(PayloadTooLargeException.class, ex -> {
                    assertThat(ex.payloadLength()).isEqualTo(SLOT_SIZE + 1);
                    assertThat(ex.slotSize()).isEqualTo(SLOT_SIZE);
                }).hasMessageContaining("513").hasMessageContaining("512");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment big = arena.allocate(SLOT_SIZE * 3L);
            assertThatThrownBy(() -> host.send(1, 0, 0, DescriptorLayout.NO_DEADLINE, big, LONG))
                    .isInstanceOf(PayloadTooLargeException.class).hasMessageContaining("1536");
        }
        assertThat(host.stats().framesSent()).isZero();
        assertThat(host.stats().slotsInUse()).isZero();
    }

    @Test
    void memorySegmentPayloadsArriveIntact() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment small = arena.allocate(5);
            MemorySegment large = arena.allocate(SLOT_SIZE);
            for (int i = 0; i < SLOT_SIZE; i++) {
                large.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) (i * 7));
            }
            small.fill((byte) 3);
            host.send(1, 0, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, small, LONG);
            host.send(1, 0, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, large, LONG);
            List<byte[]> received = drain(plugin);
            assertThat(received.get(0)).containsExactly(3, 3, 3, 3, 3);
            assertThat(received.get(1)).isEqualTo(large.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void slotIsFreedExactlyOnceEvenWhenTheHandlerThrows() {
        host.send(1, 0, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, new byte[200], 0, 200, 0);
        host.send(1, 0, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, new byte[300], 0, 300, 0);
        AtomicReference<Frame> kept = new AtomicReference<>();
        int[] slotAndGeneration = new int[2];
        assertThatThrownBy(() -> plugin.poll(frame -> {
            kept.set(frame);
            throw new IllegalArgumentException("handler failure");
        }, 10)).hasMessage("handler failure");
        assertThat(host.stats().slotsInUse()).as("the throwing handler's slot is freed").isEqualTo(1);
        assertThatThrownBy(() -> kept.get().payloadBytes()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("outside FrameHandler.onFrame");

        plugin.poll(frame -> {
            ReceivedFrame received = (ReceivedFrame) frame;
            slotAndGeneration[0] = received.slot();
            slotAndGeneration[1] = received.generation();
        }, 10);
        assertThat(host.stats().slotsInUse()).isZero();
        assertThat(plugin.slots().free(slotAndGeneration[0], slotAndGeneration[1]))
                .as("a second free of the same slot is refused").isFalse();
        assertThat(plugin.stats().framesReceived()).isEqualTo(2);
    }

    @Test
    void concurrentSendersKeepPerThreadOrderAndLoseNothing() throws Exception {
        int threads = 4;
        int perThread = 5_000;
        List<CompletableFuture<Void>> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int channel = 2 * t + 1;
            senders.add(CompletableFuture.runAsync(() -> {
                byte[] payload = new byte[64];
                for (int i = 0; i < perThread; i++) {
                    int length = (i % 3 == 0) ? 64 : 8;
                    payload[0] = (byte) i;
                    payload[1] = (byte) (i >>> 8);
                    host.send(channel, i, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, payload, 0, length, LONG);
                }
            }));
        }
        int[] next = new int[threads];
        int total = 0;
        while (total < threads * perThread) {
            total += plugin.receive(frame -> {
                int t = (frame.channelId() - 1) / 2;
                assertThat(frame.methodId()).isEqualTo(next[t]);
                assertThat(frame.payloadLength()).isEqualTo(next[t] % 3 == 0 ? 64 : 8);
                next[t]++;
            }, 256, LONG);
        }
        CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(next).containsOnly(perThread);
        assertThat(host.stats().slotsInUse()).isZero();
    }

    @Test
    void closedTransportFailsEveryCall() {
        plugin.send(2, 0, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, new byte[100], 0, 100, 0);
        assertThat(plugin.stats().slotsInUse()).as("read while mapped").isEqualTo(1);
        plugin.close();
        plugin.close();
        assertThat(plugin.isClosed()).isTrue();
        byte[] one = {1};
        assertThatThrownBy(() -> plugin.send(2, 0, 0, DescriptorLayout.NO_DEADLINE, one, 0, 1, 0))
                .isInstanceOf(TransportClosedException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> plugin.poll(frame -> { }, 1)).isInstanceOf(TransportClosedException.class);
        assertThatThrownBy(() -> plugin.receive(frame -> { }, 1, LONG)).isInstanceOf(TransportClosedException.class);
        assertThatThrownBy(plugin::isPeerAlive).isInstanceOf(TransportClosedException.class);
        assertThatThrownBy(plugin::peerHeartbeatAgeNanos).isInstanceOf(TransportClosedException.class);
        assertThat(plugin.stats().slotsInUse()).as("a closed transport's gauge reads 0").isZero();
        assertThat(host.stats().slotsInUse()).as("the frame the plugin sent still holds its slot, read on the "
                + "mapping the host keeps").isEqualTo(1);
        assertThat(drain(host)).hasSize(1);
        assertThat(host.stats().slotsInUse()).as("and the host frees it").isZero();
        assertThat(plugin.config().slotSize()).isEqualTo(SLOT_SIZE);
    }

    @Test
    void closeWakesABlockedReceiver() {
        CompletableFuture<Integer> receiving = CompletableFuture.supplyAsync(
                () -> plugin.receive(frame -> { }, 1, LONG));
        await().pollDelay(Duration.ofMillis(50)).atMost(Duration.ofSeconds(10)).until(() -> !receiving.isDone());
        plugin.close();
        await().atMost(Duration.ofSeconds(10)).until(receiving::isDone);
        assertThat(receiving).isCompletedExceptionally();
        assertThatThrownBy(receiving::join).hasCauseInstanceOf(TransportClosedException.class);
    }

    @Test
    void closeWakesASenderBlockedOnAFullRing() {
        for (int i = 0; i < CAPACITY; i++) {
            host.send(1, 0, 0, DescriptorLayout.NO_DEADLINE, one(), 0, 1, 0);
        }
        CompletableFuture<Long> sending = CompletableFuture.supplyAsync(
                () -> host.send(1, 0, 0, DescriptorLayout.NO_DEADLINE, one(), 0, 1, LONG));
        await().pollDelay(Duration.ofMillis(50)).atMost(Duration.ofSeconds(10)).until(() -> !sending.isDone());
        host.close();
        await().atMost(Duration.ofSeconds(10)).until(sending::isDone);
        assertThatThrownBy(sending::join).hasCauseInstanceOf(TransportClosedException.class);
    }

    @Test
    void receiverReportsAnUnwatchedPeerGoneOnceTheHeartbeatStoodStillBeyondPeerGoneAfter() {
        Path file = dir.resolve("death.shm");
        ShmOptions fast = ShmOptions.defaults().withHeartbeatInterval(Duration.ofMillis(50))
                .withLivenessTimeout(Duration.ofMillis(400)).withPeerGoneAfter(Duration.ofMillis(800));
        ShmTransport mortalHost = ShmTransport.create(file, new ShmConfig(8, 256, 2), fast);
        try (ShmTransport survivor = ShmTransport.open(file, fast)) {
            assertThat(survivor.isPeerAlive()).isTrue();
            assertThat(survivor.peerHeartbeatAgeNanos()).isNotNegative();
            mortalHost.close();
            assertThatThrownBy(() -> {
                while (true) {
                    survivor.receive(frame -> { }, 1, LONG);
                }
            }).isInstanceOfSatisfying(PeerDiedException.class,
                    ex -> assertThat(ex.heartbeatAgeNanos()).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(800)))
                    .hasMessageContaining("HOST").hasMessageContaining("peerGoneAfter=PT0.8S");
            assertThat(survivor.isPeerAlive()).isFalse();
        }
        finally {
            mortalHost.close();
        }
    }

    @Test
    void senderWaitingForRoomReportsAnUnwatchedPeerGone() {
        Path file = dir.resolve("death-send.shm");
        ShmOptions fast = ShmOptions.defaults().withHeartbeatInterval(Duration.ofMillis(50))
                .withLivenessTimeout(Duration.ofMillis(400)).withPeerGoneAfter(Duration.ofMillis(800));
        try (ShmTransport survivor = ShmTransport.create(file, new ShmConfig(2, 256, 2), fast)) {
            ShmTransport mortalPlugin = ShmTransport.open(file, fast);
            try {
                survivor.send(1, 0, 0, DescriptorLayout.NO_DEADLINE, one(), 0, 1, 0);
                survivor.send(1, 0, 0, DescriptorLayout.NO_DEADLINE, one(), 0, 1, 0);
                await().atMost(Duration.ofSeconds(10)).until(() -> survivor.peerHeartbeatAgeNanos() >= 0);
                mortalPlugin.close();
                assertThatThrownBy(() -> survivor.send(1, 0, 0, DescriptorLayout.NO_DEADLINE, one(), 0, 1, LONG))
                        .isInstanceOf(PeerDiedException.class).hasMessageContaining("PLUGIN (peer B)");
            }
            finally {
                mortalPlugin.close();
            }
        }
    }

    @Test
    void onlyOneConsumerAtATime() {
        host.send(1, 0, 0, DescriptorLayout.NO_DEADLINE, one(), 0, 1, 0);
        plugin.poll(frame -> assertThatThrownBy(() -> plugin.poll(f -> { }, 1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("exactly one consumer"), 1);
        assertThat(plugin.stats().framesReceived()).isEqualTo(1);
    }

    private static byte[] one() {
        return new byte[] {1};
    }

    private static List<byte[]> drain(ShmTransport transport) {
        List<byte[]> received = new ArrayList<>();
        while (transport.poll(frame -> received.add(frame.payloadBytes()), 64) > 0) {
            // keep polling until empty
        }
        return received;
    }
}
