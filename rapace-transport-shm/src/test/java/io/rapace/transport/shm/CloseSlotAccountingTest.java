package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.rapace.transport.shm.layout.DescriptorLayout;
import io.rapace.transport.shm.layout.RingLayout;
import io.rapace.transport.shm.layout.ShmLayout;
import io.rapace.transport.shm.layout.SlotMetaLayout;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin transport closed while its threads send and receive slot-sized frames, over a real file: read
 * from the host's mapping afterwards (still open), no slot is left Allocated, every InFlight slot belongs
 * to a descriptor still waiting in the host's ring, and every frame the plugin handed to a handler was
 * consumed (its tail advanced past it, its slot freed).
 */
class CloseSlotAccountingTest {

    private static final int CAPACITY = 4;
    private static final int SLOT_SIZE = 1024;
    private static final int SLOT_COUNT = 16;
    private static final long LONG = TimeUnit.SECONDS.toNanos(30);

    @TempDir
    Path dir;

    private final AtomicBoolean stop = new AtomicBoolean();

    @RepeatedTest(8)
    void closeUnderTrafficReturnsEverySlotItTook() throws Exception {
        Path file = dir.resolve("accounting.shm");
        ShmTransport host = ShmTransport.create(file, new ShmConfig(CAPACITY, SLOT_SIZE, SLOT_COUNT),
                ShmOptions.defaults());
        ShmTransport plugin = ShmTransport.open(file, ShmOptions.defaults());
        try {
            AtomicLong pluginHandled = new AtomicLong();
            AtomicLong hostHandled = new AtomicLong();
            List<CompletableFuture<Throwable>> pluginThreads = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                pluginThreads.add(run(() -> {
                    byte[] payload = new byte[SLOT_SIZE];
                    while (true) {
                        plugin.send(2, 0, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, payload, 0, SLOT_SIZE, LONG);
                    }
                }));
            }
            pluginThreads.add(run(() -> {
                while (true) {
                    plugin.receive(frame -> {
                        pluginHandled.incrementAndGet();
                        frame.payloadBytes();
                        spin(20_000);
                    }, 2, LONG);
                }
            }));
            stop.set(false);
            CompletableFuture<Throwable> hostSender = run(() -> {
                byte[] payload = new byte[600];
                while (!stop.get()) {
                    try {
                        host.send(1, 0, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, payload, 0, payload.length,
                                TimeUnit.MILLISECONDS.toNanos(20));
                    }
                    catch (BackpressureTimeoutException full) {
                        // the plugin stopped reading: look at the stop flag again
                    }
                }
                throw new InterruptedException("stopped");
            });
            CompletableFuture<Throwable> hostReceiver = run(() -> {
                while (!stop.get()) {
                    host.receive(frame -> {
                        hostHandled.incrementAndGet();
                        spin(30_000);
                    }, 1, TimeUnit.MILLISECONDS.toNanos(20));
                }
                throw new InterruptedException("stopped");
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> pluginHandled.get() > 50 && hostHandled.get() > 50);

            plugin.close();
            for (CompletableFuture<Throwable> thread : pluginThreads) {
                assertThat(thread.get(30, TimeUnit.SECONDS)).isInstanceOf(TransportClosedException.class);
            }
            stop.set(true);
            assertThat(hostSender.get(30, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
            assertThat(hostReceiver.get(30, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
            while (host.poll(frame -> { }, 64) > 0) {
                // what the plugin published before it closed: consumed and freed
            }

            ShmLayout layout = host.config().layout();
            long aToBTail = Mem.getLongAcquire(host.segment(), layout.ringAToBHeader() + RingLayout.TAIL_OFFSET);
            long aToBHead = Mem.getLongAcquire(host.segment(), layout.ringAToBHeader() + RingLayout.VISIBLE_HEAD_OFFSET);
            assertThat(pluginHandled.get()).as("every frame handed to the plugin's handler was consumed")
                    .isEqualTo(aToBTail);
            int waitingInSlots = 0;
            for (long counter = aToBTail; counter < aToBHead; counter++) {
                long descriptor = layout.ringAToBDescriptors() + (counter & (CAPACITY - 1)) * DescriptorLayout.LENGTH;
                if (Mem.getInt(host.segment(), descriptor + DescriptorLayout.PAYLOAD_SLOT_OFFSET)
                        != DescriptorLayout.INLINE_SLOT) {
                    waitingInSlots++;
                }
            }
            int allocated = 0;
            int inFlight = 0;
            for (int slot = 0; slot < SLOT_COUNT; slot++) {
                int state = host.slots().state(slot);
                allocated += state == SlotMetaLayout.ALLOCATED ? 1 : 0;
                inFlight += state == SlotMetaLayout.IN_FLIGHT ? 1 : 0;
            }
            assertThat(allocated).as("slots a send took and never returned").isZero();
            assertThat(inFlight).as("InFlight slots = slot descriptors still waiting in ring A->B")
                    .isEqualTo(waitingInSlots);
            assertThat(host.stats().invalidFrames()).isZero();
        }
        finally {
            stop.set(true);
            plugin.close();
            host.close();
        }
    }

    private static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }

    /** Runs {@code body} until it throws; completes with what it threw. */
    private static CompletableFuture<Throwable> run(Body body) {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                body.run();
                outcome.complete(new AssertionError("body returned"));
            }
            catch (Throwable ex) {
                outcome.complete(ex);
            }
        });
        return outcome;
    }

    @FunctionalInterface
    private interface Body {
        void run() throws Exception;
    }
}
