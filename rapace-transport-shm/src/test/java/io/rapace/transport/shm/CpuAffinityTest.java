package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** {@link CpuAffinity}'s masks and real affinity changes of a thread of its own. */
class CpuAffinityTest {

    @Test
    void aMaskHoldsTheCpusAddedAndNothingElse() {
        CpuAffinity.Mask mask = new CpuAffinity.Mask();
        mask.add(0);
        mask.add(63);
        mask.add(64);
        mask.add(CpuAffinity.MAX_CPUS - 1);
        assertThat(mask.count()).isEqualTo(4);
        assertThat(mask.contains(64)).isTrue();
        assertThat(mask.contains(1)).isFalse();
        assertThat(mask.contains(-1)).isFalse();
        assertThat(mask.contains(CpuAffinity.MAX_CPUS)).isFalse();
        assertThat(mask).hasToString("[0,63,64,1023]");

        mask.remove(63);
        CpuAffinity.Mask copy = new CpuAffinity.Mask();
        copy.copyFrom(mask);
        assertThat(copy).hasToString("[0,64,1023]");

        copy.only(5);
        assertThat(copy).hasToString("[5]");
        copy.all();
        assertThat(copy.count()).isEqualTo(CpuAffinity.MAX_CPUS);
    }

    @Test
    void aThreadIsBoundToOneCpuAndGivenEveryCpuItMayUseAgain() throws Exception {
        assumeTrue(CpuAffinity.isAvailable(), "sched_setaffinity through FFM (Linux)");
        String[] parts = SpinningCpu.onOwnThread("affinity-probe", () -> {
            int self = CpuAffinity.currentThreadId();
            CpuAffinity.Mask before = SpinningCpu.affinityOf(self);
            CpuAffinity.Mask one = new CpuAffinity.Mask();
            one.only(SpinningCpu.highest(before));
            boolean bound = CpuAffinity.write(self, one);
            String whileBound = SpinningCpu.affinityOf(self).toString();
            CpuAffinity.Mask every = new CpuAffinity.Mask();
            every.all();
            boolean restored = CpuAffinity.write(self, every);
            // all ones is narrowed by the kernel to the CPUs this thread may use: what it had (no cpuset change here)
            return bound + " " + whileBound + " " + restored + " " + SpinningCpu.affinityOf(self) + " " + before;
        });

        assertThat(parts[0]).isEqualTo("true");
        assertThat(parts[1]).matches("\\[\\d+\\]");
        assertThat(parts[2]).isEqualTo("true");
        assertThat(parts[3]).as("every CPU it may use").isEqualTo(parts[4]);
    }

    @Test
    void eachThreadHasItsOwnKernelId() throws Exception {
        assumeTrue(CpuAffinity.isAvailable(), "gettid through FFM (Linux)");
        CompletableFuture<Integer> other = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> other.complete(CpuAffinity.currentThreadId()));

        int mine = CpuAffinity.currentThreadId();
        assertThat(mine).isPositive();
        assertThat(other.get(10, TimeUnit.SECONDS)).isPositive().isNotEqualTo(mine);
    }
}
