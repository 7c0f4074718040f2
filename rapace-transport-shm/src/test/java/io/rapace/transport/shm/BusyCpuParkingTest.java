package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A thread that parks long enough while a CPU of its affinity runs all the time is bound to that CPU with a short
 * slice, and gets its affinity and slice back at the first work or at the close; real threads, real affinities, the
 * machine's {@code /proc/stat}.
 */
class BusyCpuParkingTest {

    private CpuAffinity.Mask mine;

    private int busyCpu;

    @BeforeEach
    void needsTwoCpusAndTheNativeCalls() {
        assumeTrue(CpuAffinity.isAvailable(), "sched_setaffinity through FFM (Linux)");
        mine = SpinningCpu.affinityOf(CpuAffinity.currentThreadId());
        assumeTrue(mine.count() >= 2, "at least two CPUs in this thread's affinity");
        busyCpu = SpinningCpu.highest(mine);
    }

    @Test
    void aLongParkMovesToTheBusyCpuAndTheFirstWorkMovesItBack() throws Exception {
        BusyCpuParking parking = new BusyCpuParking(shortParks(), true, new CpuLoad(CpuLoad.PROC_STAT), 0);
        try (SpinningCpu spinning = SpinningCpu.on(busyCpu)) {
            ParkingThread parked = ParkingThread.start(parking);
            CpuAffinity.Mask bound = parked.awaitBound(Duration.ofSeconds(20));
            long sliceWhileBound = SpinningCpu.sliceOf(parked.thread());

            assertThat(bound.count()).as("bound to one CPU: %s", bound).isEqualTo(1);
            assertThat(mine.contains(SpinningCpu.highest(bound))).as("a CPU it was allowed").isTrue();
            // a kernel before 6.12 takes the short slice and ignores it
            assertThat(sliceWhileBound).as("its slice while bound")
                    .isEqualTo(SpinningCpu.kernelKeepsSlices() ? ThreadSlice.SHORT_NANOS : parked.sliceAtStart());

            CpuAffinity.Mask after = parked.work();

            assertThat(parking.isBound()).isFalse();
            assertThat(after.toString()).isEqualTo(mine.toString());
            assertThat(parked.sliceAfterWork()).as("its slice back").isEqualTo(parked.sliceAtStart());
        }
    }

    @Test
    void theCloseGivesABoundThreadItsAffinityBackAndBindsNoneAfterIt() throws Exception {
        BusyCpuParking parking = new BusyCpuParking(shortParks(), true, new CpuLoad(CpuLoad.PROC_STAT), 0);
        try (SpinningCpu spinning = SpinningCpu.on(busyCpu)) {
            ParkingThread parked = ParkingThread.start(parking);
            parked.awaitBound(Duration.ofSeconds(20));

            parking.close();

            assertThat(parking.isBound()).isFalse();
            assertThat(SpinningCpu.affinityOf(parked.thread()).toString()).isEqualTo(mine.toString());
            assertThat(SpinningCpu.sliceOf(parked.thread())).as("its slice back").isEqualTo(parked.sliceAtStart());
            assertThat(parked.parks(3 * BusyCpuParking.REVIEW_EVERY_PARKS)).isTrue();
            assertThat(parking.isBound()).as("no thread bound after the close").isFalse();
            parked.stop();
        }
    }

    @Test
    void switchedOffItNeverBinds() throws Exception {
        BusyCpuParking parking = new BusyCpuParking(shortParks(), false, new CpuLoad(CpuLoad.PROC_STAT), 0);
        try (SpinningCpu spinning = SpinningCpu.on(busyCpu)) {
            ParkingThread parked = ParkingThread.start(parking);
            assertThat(parked.parks(4 * BusyCpuParking.REVIEW_EVERY_PARKS)).isTrue();

            assertThat(parking.isBound()).isFalse();
            assertThat(SpinningCpu.affinityOf(parked.thread()).toString()).isEqualTo(mine.toString());
            parked.stop();
        }
    }

    @Test
    void theFirstBindingInAJvmWaitsForALongIdleAndLaterOnesDoNot() {
        long first = BusyCpuParking.FIRST_BIND_AFTER_NANOS;
        assertThat(BusyCpuParking.mayLook(false, first - 1, first)).isFalse();
        assertThat(BusyCpuParking.mayLook(false, first, first)).isTrue();
        assertThat(BusyCpuParking.mayLook(true, 0, first)).isTrue();
        assertThat(first).as("long enough to repay the native link, 0.1 s of CPU, at 4 ms a second")
                .isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(25));
    }

    @Test
    void offUnlessTheSystemPropertySaysTrue() {
        assertThat(aroundWithProperty(null)).endsWith(", off]");
        assertThat(aroundWithProperty("false")).endsWith(", off]");
        assertThat(aroundWithProperty("true")).doesNotEndWith(", off]");
    }

    /** What {@link BusyCpuParking#around} makes with the system property set to {@code value} (null: unset). */
    private static String aroundWithProperty(String value) {
        String before = System.getProperty(BusyCpuParking.PROPERTY);
        setOrClear(value);
        try {
            return BusyCpuParking.around(shortParks()).toString();
        }
        finally {
            setOrClear(before);
        }
    }

    /** Sets the system property that turns the binding on, or clears it when {@code value} is null. */
    static void setOrClear(String value) {
        if (value == null) {
            System.clearProperty(BusyCpuParking.PROPERTY);
        }
        else {
            System.setProperty(BusyCpuParking.PROPERTY, value);
        }
    }

    /** Parks of at most 1 ms, so that the looks come every 128 ms or so. */
    private static IdleStrategy shortParks() {
        return BackoffIdleStrategy.withMaxPark(Duration.ofMillis(1));
    }

    /** A platform thread that idles in the strategy until told to do one unit of work or to stop. */
    private static final class ParkingThread {

        private final BusyCpuParking parking;

        private final CompletableFuture<Integer> tid = new CompletableFuture<>();

        private final CompletableFuture<CpuAffinity.Mask> afterWork = new CompletableFuture<>();

        private final CompletableFuture<Long> sliceAtStart = new CompletableFuture<>();

        private final CompletableFuture<Long> sliceAfterWork = new CompletableFuture<>();

        private volatile boolean workNow;

        private volatile boolean stop;

        private volatile long idles;

        private ParkingThread(BusyCpuParking parking) {
            this.parking = parking;
        }

        static ParkingThread start(BusyCpuParking parking) {
            ParkingThread parked = new ParkingThread(parking);
            Thread.ofPlatform().daemon().name("parking").start(parked::run);
            return parked;
        }

        private void run() {
            int self = CpuAffinity.currentThreadId();
            this.sliceAtStart.complete(SpinningCpu.sliceOf(self));
            this.tid.complete(self);
            while (!this.stop) {
                if (this.workNow) {
                    this.parking.idle(1);
                    this.sliceAfterWork.complete(SpinningCpu.sliceOf(self));
                    this.afterWork.complete(SpinningCpu.affinityOf(self));
                    return;
                }
                this.parking.idle(0);
                this.idles++;
            }
        }

        /** Its slice before it parked. */
        long sliceAtStart() throws Exception {
            return this.sliceAtStart.get(10, TimeUnit.SECONDS);
        }

        /** Its slice right after its unit of work. */
        long sliceAfterWork() throws Exception {
            return this.sliceAfterWork.get(10, TimeUnit.SECONDS);
        }

        int thread() throws Exception {
            return this.tid.get(10, TimeUnit.SECONDS);
        }

        CpuAffinity.Mask awaitBound(Duration within) throws Exception {
            await("bound within " + within).atMost(within).until(this.parking::isBound);
            return SpinningCpu.affinityOf(thread());
        }

        /** Waits until the thread idled {@code count} more times. */
        boolean parks(long count) {
            long target = this.idles + count;
            return await().atMost(Duration.ofSeconds(20)).until(() -> this.idles >= target, (done) -> done);
        }

        /** One unit of work on the parking thread; its affinity right after. */
        CpuAffinity.Mask work() throws Exception {
            this.workNow = true;
            return this.afterWork.get(10, TimeUnit.SECONDS);
        }

        void stop() {
            this.stop = true;
        }
    }
}
