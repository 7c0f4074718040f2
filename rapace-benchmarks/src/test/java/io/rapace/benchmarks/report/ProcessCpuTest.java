package io.rapace.benchmarks.report;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link ProcessCpu} against real processes: another process's CPU time to the nanosecond, agreeing with the clock
 * ticks of {@code /proc/PID/stat}; a process's descendants counted; a process that is gone reads 0.
 */
class ProcessCpuTest {

    /** A shell loop that burns a few hundred ms of CPU, then sleeps (so its CPU time stands still). */
    private static final String BURN_THEN_SLEEP = "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; exec sleep 60";

    @Test
    void readsAnotherProcessToTheNanosecondAgreeingWithItsClockTicks() throws Exception {
        Process child = new ProcessBuilder("sh", "-c", BURN_THEN_SLEEP).start();
        try {
            long burnt = settled(child.pid());
            long ticks = ProcessCpu.tickNanos(child.pid());
            assertThat(ProcessCpu.clockNanos(child.pid())).isEqualTo(burnt);
            assertThat(burnt).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(20));
            // /proc/PID/stat rounds down to 10 ms ticks; the clock does not.
            assertThat(burnt % TimeUnit.MILLISECONDS.toNanos(10)).isNotZero();
            assertThat(Math.abs(burnt - ticks)).isLessThan(TimeUnit.MILLISECONDS.toNanos(20));
            assertThat(ProcessCpu.nanos(child.pid())).isEqualTo(burnt);
        }
        finally {
            child.destroyForcibly().waitFor();
        }
    }

    @Test
    void countsTheDescendantsOfAProcess() throws Exception {
        Process parent = new ProcessBuilder("sh", "-c", "sh -c '" + BURN_THEN_SLEEP + "' & wait").start();
        try {
            ProcessHandle grandchild = await().atMost(Duration.ofSeconds(10))
                .until(() -> parent.toHandle().children().findFirst().orElse(null), child -> child != null);
            long burnt = settled(grandchild.pid());
            assertThat(ProcessCpu.treeNanos(parent.toHandle())).isGreaterThanOrEqualTo(burnt)
                .isEqualTo(ProcessCpu.nanos(parent.pid()) + burnt);
        }
        finally {
            parent.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            parent.destroyForcibly().waitFor();
        }
    }

    @Test
    void countsThisProcessesOwnWork() {
        long before = ProcessCpu.nanos(ProcessHandle.current().pid());
        long spinUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        long sum = 0;
        while (System.nanoTime() < spinUntil) {
            sum += System.nanoTime() & 1;
        }
        assertThat(sum).isNotNegative();
        assertThat(ProcessCpu.nanos(ProcessHandle.current().pid()) - before)
            .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(40));
    }

    @Test
    void aProcessThatIsGoneReadsZero() throws IOException, InterruptedException {
        Process child = new ProcessBuilder("true").start();
        assertThat(child.waitFor()).isZero();
        assertThat(ProcessCpu.clockNanos(child.pid())).isEqualTo(-1);
        assertThat(ProcessCpu.nanos(child.pid())).isZero();
    }

    /** The CPU time of {@code pid} once it stopped growing (the burn is over). */
    private static long settled(long pid) {
        long[] last = {-2};
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() -> {
            long now = ProcessCpu.clockNanos(pid);
            boolean still = now == last[0];
            last[0] = now;
            return still ? now : -1L;
        }, cpu -> cpu >= 0);
    }
}
