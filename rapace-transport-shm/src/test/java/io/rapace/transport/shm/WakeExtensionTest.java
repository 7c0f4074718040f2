package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.rapace.transport.shm.WakeFixture.CONFIG;
import static io.rapace.transport.shm.WakeFixture.LAYOUT;
import static io.rapace.transport.shm.WakeFixture.TIMEOUT;
import static io.rapace.transport.shm.WakeFixture.consumerWaiting;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.rapace.transport.shm.layout.DescriptorLayout;
import io.rapace.transport.shm.layout.RingLayout;
import io.rapace.transport.shm.layout.SegmentLayout;
import org.junit.jupiter.api.Test;

/**
 * The wake extension between two transports on one real mapped file: the flag handshake (including
 * against a v1.0 host and a plugin that has it off), a receiver sleeping in {@code FUTEX_WAIT} woken by a
 * frame, {@code close()} waking it, and a peer writing garbage into the extension's words. Assertions
 * use the futex counters, never elapsed time.
 */
class WakeExtensionTest extends FutexSegmentTest {

    @Test
    void twoJavaPeersBothSetTheirBitAndUseTheExtension() {
        Path file = dir.resolve("both.shm");
        try (ShmTransport host = ShmTransport.create(file, CONFIG, ShmOptions.defaults())) {
            assertThat(flags(host)).isEqualTo(SegmentLayout.FLAG_WAKE_A | SegmentLayout.FLAG_HOST_CLOSES_BY_REMOVAL
                    | SegmentLayout.FLAG_BEAT_WAKE_A);
            assertThat(host.wakeExtensionActive()).isFalse();
            try (ShmTransport plugin = ShmTransport.open(file, ShmOptions.defaults())) {
                assertThat(flags(host)).isEqualTo(SegmentLayout.FLAGS_WAKE_BOTH | SegmentLayout.FLAG_HOST_CLOSES_BY_REMOVAL
                        | SegmentLayout.FLAGS_BEAT_BOTH);
                assertThat(plugin.wakeExtensionActive()).isTrue();
                assertThat(host.wakeExtensionActive()).isTrue();
            }
        }
    }

    @Test
    void aReceiverAsleepInTheKernelReceivesTheFramesSentToIt() throws Exception {
        Path file = dir.resolve("sleep.shm");
        try (ShmTransport host = ShmTransport.create(file, CONFIG, ShmOptions.defaults());
                ShmTransport plugin = ShmTransport.open(file, ShmOptions.defaults())) {
            for (int round = 1; round <= 3; round++) {
                long sleepsBefore = plugin.futexSleeps();
                AtomicInteger seen = new AtomicInteger();
                CompletableFuture<Integer> received = CompletableFuture.supplyAsync(
                        () -> plugin.receive(frame -> seen.set(frame.methodId()), 1, TIMEOUT));
                // The receiver has passed its spin and yield phases and is in (or about to enter) FUTEX_WAIT,
                // with consumer_waiting = 1 in ring A->B.
                while (plugin.futexSleeps() == sleepsBefore || consumerWaiting(host, LAYOUT.ringAToBHeader()) == 0) {
                    Thread.sleep(1);
                }
                host.send(1, 100 + round, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, new byte[] {1}, 0, 1, TIMEOUT);
                assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(1);
                assertThat(seen.get()).isEqualTo(100 + round);
            }
            assertThat(host.futexWakes()).as("the sender woke the sleeping receiver").isPositive();
            assertThat(consumerWaiting(host, LAYOUT.ringAToBHeader())).isZero();
            // The other direction too.
            long sleepsBefore = host.futexSleeps();
            CompletableFuture<Integer> received = CompletableFuture.supplyAsync(
                    () -> host.receive(frame -> { }, 1, TIMEOUT));
            while (host.futexSleeps() == sleepsBefore) {
                Thread.sleep(1);
            }
            plugin.send(2, 7, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, new byte[40], 0, 40, TIMEOUT);
            assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(host.stats().framesReceived()).isEqualTo(1);
        }
    }

    @Test
    void wakeSleepingReceiveMakesASleepingReceiveReturnAndTheTransportStaysUsable() throws Exception {
        Path file = dir.resolve("nudge.shm");
        try (ShmTransport host = ShmTransport.create(file, CONFIG, ShmOptions.defaults());
                ShmTransport plugin = ShmTransport.open(file, ShmOptions.defaults())) {
            // Nobody receives: nothing to wake, and no system call made.
            assertThat(plugin.wakeSleepingReceive()).isFalse();
            CompletableFuture<Integer> received = new CompletableFuture<>();
            Thread receiver = Thread.ofPlatform().start(() -> {
                try {
                    received.complete(plugin.receive(frame -> { }, 1, TimeUnit.SECONDS.toNanos(60)));
                }
                catch (Throwable ex) {
                    received.completeExceptionally(ex);
                }
            });
            while (plugin.futexSleeps() == 0) {
                Thread.sleep(1);
            }
            // A receive of 60 s asleep in the kernel: woken, it returns 0 (no frame) instead of sleeping on.
            assertThat(plugin.wakeSleepingReceive()).isTrue();
            assertThat(received.get(30, TimeUnit.SECONDS)).isZero();
            receiver.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(plugin.lastFutexSleepResult()).isIn(Futex.WOKEN, Futex.MISMATCH);
            // The next receive sleeps and is woken by a frame as usual.
            exchange(host, plugin, 3);
        }
    }

    @Test
    void wakeSleepingReceiveOnAClosedTransportIsANoOp() {
        Path file = dir.resolve("closed-nudge.shm");
        try (ShmTransport host = ShmTransport.create(file, CONFIG, ShmOptions.defaults())) {
            ShmTransport plugin = ShmTransport.open(file, ShmOptions.defaults());
            plugin.close();
            // A session closing races its receive loop, which closes the transport when the peer goes: the close's
            // nudge must not touch the unmapped segment (it threw "Already closed" and left the host's file behind).
            assertThat(plugin.wakeSleepingReceive()).isFalse();
            assertThat(host.wakeSleepingReceive()).isFalse();
        }
    }

    @Test
    void closeWakesAReceiveAsleepInTheKernel() throws Exception {
        Path file = dir.resolve("close.shm");
        try (ShmTransport _ = ShmTransport.create(file, CONFIG, ShmOptions.defaults())) {
            ShmTransport plugin = ShmTransport.open(file, ShmOptions.defaults());
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread receiver = Thread.ofPlatform().start(() -> {
                try {
                    plugin.receive(frame -> { }, 1, TimeUnit.SECONDS.toNanos(60));
                }
                catch (Throwable ex) {
                    failure.set(ex);
                }
            });
            while (plugin.futexSleeps() == 0) {
                Thread.sleep(1);
            }
            plugin.close();
            receiver.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(receiver.isAlive()).isFalse();
            assertThat(failure.get()).isInstanceOf(TransportClosedException.class);
            // Woken (or the wait saw the bumped wake_seq), not run into its timeout.
            assertThat(plugin.lastFutexSleepResult()).isIn(Futex.WOKEN, Futex.MISMATCH);
        }
    }

    @Test
    void aPluginWithTheExtensionOffNeverWritesTheFlagsAndTheHostNeverSleepsInTheKernel() throws Exception {
        Path file = dir.resolve("plugin-off.shm");
        try (ShmTransport host = ShmTransport.create(file, CONFIG, ShmOptions.defaults());
                ShmTransport plugin = ShmTransport.open(file, ShmOptions.defaults().withWakeExtension(false))) {
            exchange(host, plugin, 50);
            // Long enough for the host's receive to reach its park phase.
            assertThat(host.receive(frame -> { }, 1, TimeUnit.MILLISECONDS.toNanos(300))).isZero();
            assertThat(plugin.receive(frame -> { }, 1, TimeUnit.MILLISECONDS.toNanos(300))).isZero();
            exchange(host, plugin, 50);
            assertThat(flags(host)).isEqualTo(SegmentLayout.FLAG_WAKE_A | SegmentLayout.FLAG_HOST_CLOSES_BY_REMOVAL
                    | SegmentLayout.FLAG_BEAT_WAKE_A);
            assertThat(host.wakeExtensionActive()).isFalse();
            assertThat(plugin.wakeExtensionActive()).isFalse();
            assertThat(host.futexSleeps()).isZero();
            assertThat(plugin.futexSleeps()).isZero();
            assertThat(host.futexWakes()).isZero();
            assertExtensionWordsZero(host);
        }
    }

    @Test
    void aPluginWithTheExtensionAgainstAVersionOneHostLeavesFlagsZero() throws Exception {
        Path file = dir.resolve("v1-host.shm");
        // A host with the extension off writes exactly what a v0.3 host writes: flags 0.
        try (ShmTransport host = ShmTransport.create(file, CONFIG, ShmOptions.defaults().withWakeExtension(false));
                ShmTransport plugin = ShmTransport.open(file, ShmOptions.defaults())) {
            assertThat(flags(host)).isZero();
            exchange(host, plugin, 50);
            assertThat(plugin.receive(frame -> { }, 1, TimeUnit.MILLISECONDS.toNanos(300))).isZero();
            exchange(host, plugin, 50);
            assertThat(flags(host)).isZero();
            assertThat(plugin.wakeExtensionActive()).isFalse();
            assertThat(plugin.futexSleeps()).isZero();
            assertExtensionWordsZero(host);
        }
    }

    @Test
    void aHostileOrBrokenPeerWritingTheExtensionWordsCostsCpuNotCorrectness() throws Exception {
        Path file = dir.resolve("hostile.shm");
        try (ShmTransport host = ShmTransport.create(file, CONFIG, ShmOptions.defaults());
                ShmTransport plugin = ShmTransport.open(file, ShmOptions.defaults())) {
            MemorySegment segment = host.segment();
            AtomicBoolean running = new AtomicBoolean(true);
            // Garbage in every extension word of both rings, rewritten constantly: wake_seq bumped and set to
            // odd values, consumer_waiting stuck at non-zero values.
            Thread vandal = Thread.ofPlatform().start(() -> {
                int i = 0;
                while (running.get()) {
                    for (long ring : new long[] {LAYOUT.ringAToBHeader(), LAYOUT.ringBToAHeader()}) {
                        Mem.getAndAddInt(segment, ring + RingLayout.WAKE_SEQ_OFFSET, 1);
                        if ((i & 1023) == 0) {
                            Mem.putIntRelease(segment, ring + RingLayout.WAKE_SEQ_OFFSET, 0xFFFF_FFFF);
                        }
                        Mem.putIntRelease(segment, ring + RingLayout.CONSUMER_WAITING_OFFSET, (i & 1) == 0 ? 1 : -7);
                    }
                    i++;
                    Thread.onSpinWait();
                }
            });
            try {
                for (int round = 0; round < 5; round++) {
                    exchange(host, plugin, 200);
                    // idle receives under the garbage: nothing arrives, nothing breaks
                    assertThat(plugin.receive(frame -> { }, 1, TimeUnit.MILLISECONDS.toNanos(20))).isZero();
                    assertThat(host.receive(frame -> { }, 1, TimeUnit.MILLISECONDS.toNanos(20))).isZero();
                }
            }
            finally {
                running.set(false);
                vandal.join();
            }
            assertThat(host.stats().invalidFrames()).isZero();
            assertThat(plugin.stats().invalidFrames()).isZero();
            assertThat(host.stats().slotsInUse()).isZero();
            assertThat(host.futexWakes()).as("a waiting word stuck non-zero only costs wake calls").isPositive();
        }
        assertThatThrownBy(() -> Futex.word(MemorySegment.ofArray(new int[4]), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** {@code count} frames each way (inline and slot), each received and checked by method id. */
    private static void exchange(ShmTransport host, ShmTransport plugin, int count) {
        for (int i = 0; i < count; i++) {
            int length = (i % 3 == 0) ? 8 : 100 + i;
            byte[] payload = Payloads.payload(i, length);
            host.send(1, i, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, payload, 0, length, TIMEOUT);
            expect(plugin, i, payload);
            plugin.send(2, i, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, payload, 0, length, TIMEOUT);
            expect(host, i, payload);
        }
    }

    private static void expect(ShmTransport receiver, int methodId, byte[] payload) {
        AtomicReference<byte[]> got = new AtomicReference<>();
        AtomicInteger method = new AtomicInteger(-1);
        assertThat(receiver.receive(frame -> {
            method.set(frame.methodId());
            got.set(frame.payloadBytes());
        }, 1, TIMEOUT)).isEqualTo(1);
        assertThat(method.get()).isEqualTo(methodId);
        assertThat(got.get()).isEqualTo(payload);
    }

    private static int flags(ShmTransport transport) {
        return Mem.getIntAcquire(transport.segment(), SegmentLayout.FLAGS_OFFSET);
    }

    private static void assertExtensionWordsZero(ShmTransport transport) {
        for (long ring : new long[] {LAYOUT.ringAToBHeader(), LAYOUT.ringBToAHeader()}) {
            assertThat(Mem.getIntAcquire(transport.segment(), ring + RingLayout.WAKE_SEQ_OFFSET)).isZero();
            assertThat(consumerWaiting(transport, ring)).isZero();
        }
        assertThat(Mem.getIntAcquire(transport.segment(), SegmentLayout.BEAT_SEQ_OFFSET)).as("beat_seq").isZero();
    }
}
