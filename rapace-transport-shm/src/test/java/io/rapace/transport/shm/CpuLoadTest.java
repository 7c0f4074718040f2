package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CpuLoad} reads each CPU's share of running time between two readings of {@code /proc/stat}. */
class CpuLoadTest {

    /** Two CPUs: cpu0 idle, cpu1 running user code; fields user nice system idle iowait irq softirq steal. */
    private static final String BEFORE = """
            cpu  1000 0 500 9000 10 0 0 0 0 0
            cpu0 500 0 250 4500 5 0 0 0 0 0
            cpu1 500 0 250 4500 5 0 0 0 0 0
            intr 12345
            ctxt 999
            """;

    private static final String AFTER = """
            cpu  1097 0 503 9097 10 0 0 0 0 0
            cpu0 501 0 252 4597 5 0 0 0 0 0
            cpu1 596 0 251 4500 5 0 0 3 0 0
            intr 12399
            ctxt 1999
            """;

    @TempDir
    Path dir;

    @Test
    void theShareOfEachCpuIsItsRunningTicksOverItsIdleAndRunningTicksBetweenTwoReadings() {
        CpuLoad load = new CpuLoad(dir.resolve("unused"));
        assertThat(load.sample(BEFORE)).isTrue();
        assertThat(load.busyShare(1)).as("one reading is no window").isZero();

        assertThat(load.sample(AFTER)).isTrue();

        assertThat(load.busyShare(0)).isCloseTo(3.0 / 100, org.assertj.core.data.Offset.offset(1e-9));
        // 97 ticks running, none idle; the 3 stolen by the hypervisor count as neither
        assertThat(load.busyShare(1)).isEqualTo(1.0);
        assertThat(load.busyShare(2)).as("no such CPU").isZero();
    }

    @Test
    void theBusiestCpuIsChosenAmongTheAllowedOnesAndOnlyWhenBusyEnough() {
        CpuLoad load = new CpuLoad(dir.resolve("unused"));
        load.sample(BEFORE);
        load.sample(AFTER);
        CpuAffinity.Mask both = mask(0, 1);

        assertThat(load.busiest(both, 0.9)).isEqualTo(1);
        assertThat(load.anyBusy(0.9)).isTrue();
        assertThat(load.anyBusy(1.01)).isFalse();
        assertThat(load.busiest(mask(0), 0.9)).as("cpu1 not allowed, cpu0 not busy").isEqualTo(-1);
        assertThat(load.busiest(mask(0), 0.01)).isZero();
    }

    @Test
    void aWindowTooShortToTellShowsNoCpuBusy() {
        CpuLoad load = new CpuLoad(dir.resolve("unused"));
        load.sample("cpu0 100 0 0 100 0 0 0 0\ncpu1 100 0 0 100 0 0 0 0\n");
        load.sample("cpu0 105 0 0 100 0 0 0 0\ncpu1 100 0 0 105 0 0 0 0\n");

        assertThat(CpuLoad.MIN_WINDOW_TICKS).isGreaterThan(5);
        assertThat(load.busyShare(0)).isZero();
        assertThat(load.busiest(mask(0, 1), 0.5)).isEqualTo(-1);
        assertThat(load.anyBusy(0.5)).isFalse();
    }

    @Test
    void malformedLinesAreSkippedAndAnUnreadableSourceShowsNothingBusy() {
        CpuLoad load = new CpuLoad(dir.resolve("unused"));
        assertThat(load.sample("cpuX 1 2 3 4 5 6 7 8\ncpu1 1 2\ncpu0 a b c d e f g h\ncpu2 1x 2 3 4 5 6 7 8\n"))
                .as("no line of the format").isFalse();
        assertThat(load.sample("")).as("no per-CPU line").isFalse();

        CpuLoad missing = new CpuLoad(dir.resolve("no-such-stat"));
        assertThat(missing.sample()).isFalse();
        assertThat(missing.busiest(mask(0, 1), 0.0)).isEqualTo(-1);
    }

    @Test
    void theMachinesOwnProcStatIsReadWhereThereIsOne() {
        CpuLoad load = new CpuLoad(CpuLoad.PROC_STAT);
        boolean linux = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("linux");
        assertThat(load.sample()).isEqualTo(linux);
    }

    private static CpuAffinity.Mask mask(int... cpus) {
        CpuAffinity.Mask mask = new CpuAffinity.Mask();
        for (int cpu : cpus) {
            mask.add(cpu);
        }
        return mask;
    }
}
