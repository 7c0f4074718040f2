package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.rapace.transport.shm.layout.DescriptorLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transport's receive against a peer without the wake extension (a v1.0 peer, which polls) parks its long idle
 * on the CPU a busy peer keeps running, and the first frame after it gives the receiving thread its affinity back.
 * The native calls are linked first ({@link BusyCpuParking#linkNow()}), so the first binding does not wait 30 s. The
 * binding is opt-in (its system property, set here for the transports these tests open); left at the default, a
 * receive never binds.
 */
class BusyCpuReceiveTest {

    /** No wake extension (the receive polls), parks of at most 1 ms (the looks come every 128 ms or so). */
    private static final ShmOptions POLLING = ShmOptions.defaults().withWakeExtension(false)
            .withIdleStrategy(() -> BackoffIdleStrategy.withMaxPark(Duration.ofMillis(1)));

    @TempDir
    Path dir;

    private CpuAffinity.Mask mine;

    private String propertyBefore;

    @BeforeEach
    void needsTwoCpusAndTheNativeCalls() {
        // kept first, so that the restore after a skipped test puts back what was there
        propertyBefore = System.getProperty(BusyCpuParking.PROPERTY);
        assumeTrue(BusyCpuParking.linkNow(), "sched_setaffinity through FFM (Linux)");
        mine = SpinningCpu.affinityOf(CpuAffinity.currentThreadId());
        assumeTrue(mine.count() >= 2, "at least two CPUs in this thread's affinity");
        BusyCpuParkingTest.setOrClear("true");
    }

    @AfterEach
    void propertyAsItWas() {
        BusyCpuParkingTest.setOrClear(propertyBefore);
    }

    @Test
    void leftAtItsDefaultAReceiveNeverBinds() throws Exception {
        BusyCpuParkingTest.setOrClear(null);
        try (TransportPair pair = connect(); SpinningCpu spinning = SpinningCpu.on(SpinningCpu.highest(mine))) {
            Thread loop = Thread.ofPlatform().name("receive-loop").start(() -> {
                while (pair.plugin().receive(frame -> { }, 1, TimeUnit.SECONDS.toNanos(30)) == 0) {
                    // idle
                }
            });
            try {
                // the looks come every 128 ms or so, and two bind when enabled (the tests below: within 0.5 s)
                await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                        .until(() -> !pair.plugin().receiveBoundToBusyCpu());
            }
            finally {
                byte[] payload = {1};
                pair.host().send(1, 7, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, payload, 0, payload.length,
                        TimeUnit.SECONDS.toNanos(5));
                loop.join(10_000);
            }
        }
    }

    private TransportPair connect() {
        return TransportPair.connect(dir.resolve("busy.shm"), new ShmConfig(4, 256, 4), POLLING);
    }

    @Test
    void anIdleReceiveParksOnTheBusyCpuAndTheNextFrameReleasesIt() throws Exception {
        try (TransportPair pair = connect(); SpinningCpu spinning = SpinningCpu.on(SpinningCpu.highest(mine))) {
            assertThat(pair.plugin().wakeExtensionActive()).isFalse();
            CompletableFuture<Integer> receiver = new CompletableFuture<>();
            CompletableFuture<String> affinityAfterFrame = new CompletableFuture<>();
            Thread loop = Thread.ofPlatform().name("receive-loop").start(() -> {
                int self = CpuAffinity.currentThreadId();
                receiver.complete(self);
                // a receive loop, until the frame; turns of 30 s, so that no turn ends (and releases the thread, as a
                // timeout does) between the check that it is bound and the look at its affinity
                while (pair.plugin().receive(frame -> { }, 1, TimeUnit.SECONDS.toNanos(30)) == 0) {
                    // idle
                }
                affinityAfterFrame.complete(SpinningCpu.affinityOf(self).toString());
            });
            int tid = receiver.get(10, TimeUnit.SECONDS);

            await("bound to the busy CPU within 20 s").atMost(Duration.ofSeconds(20))
                    .until(pair.plugin()::receiveBoundToBusyCpu);
            assertThat(SpinningCpu.affinityOf(tid).count()).isEqualTo(1);

            byte[] payload = {1, 2, 3};
            pair.host().send(1, 7, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, payload, 0, payload.length,
                    TimeUnit.SECONDS.toNanos(5));

            assertThat(affinityAfterFrame.get(10, TimeUnit.SECONDS)).isEqualTo(mine.toString());
            assertThat(pair.plugin().receiveBoundToBusyCpu()).isFalse();
            loop.join(10_000);
        }
    }

    @Test
    void aReceiveThatTimesOutGivesItsThreadTheAffinityBackForWhateverItDoesNext() throws Exception {
        try (TransportPair pair = connect(); SpinningCpu spinning = SpinningCpu.on(SpinningCpu.highest(mine))) {
            CompletableFuture<Integer> receiver = new CompletableFuture<>();
            CompletableFuture<String> affinityAfterTimeout = new CompletableFuture<>();
            Thread.ofPlatform().name("one-long-receive").start(() -> {
                int self = CpuAffinity.currentThreadId();
                receiver.complete(self);
                int read = pair.plugin().receive(frame -> { }, 1, TimeUnit.SECONDS.toNanos(3));
                affinityAfterTimeout.complete(read + " " + SpinningCpu.affinityOf(self));
            });
            int tid = receiver.get(10, TimeUnit.SECONDS);
            boolean seenBound = await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(10))
                    .until(() -> SpinningCpu.affinityOf(tid).count() == 1, (bound) -> bound);

            assertThat(seenBound).as("bound while it parked").isTrue();
            assertThat(affinityAfterTimeout.get(10, TimeUnit.SECONDS)).isEqualTo("0 " + mine);
            assertThat(pair.plugin().receiveBoundToBusyCpu()).isFalse();
        }
    }
}
