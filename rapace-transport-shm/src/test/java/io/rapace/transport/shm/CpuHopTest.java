package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** {@link CpuHop}: a real thread moved off its CPU, its affinity as it was after. */
class CpuHopTest {

    @Test
    void aHopMovesTheThreadToAnotherCpuAndLeavesItsAffinityAsItWas() throws Exception {
        assumeTrue(CpuAffinity.isAvailable(), "sched_setaffinity and getcpu through FFM (Linux)");
        String[] parts = SpinningCpu.onOwnThread("hop-probe", () -> {
            CpuAffinity.Mask before = SpinningCpu.affinityOf(CpuAffinity.currentThreadId());
            if (before.count() < 2) {
                return "one-cpu";
            }
            CpuHop hop = new CpuHop();
            int from = hop.currentCpu();
            boolean hopped = hop.hop();
            int to = hop.currentCpu();
            return hopped + " " + from + " " + to + " " + SpinningCpu.affinityOf(CpuAffinity.currentThreadId()) + " "
                    + before + " " + hop.hops();
        });

        assumeTrue(parts.length > 1, "this process may run on one CPU only");
        assertThat(parts[0]).as("hopped").isEqualTo("true");
        assertThat(Integer.parseInt(parts[1])).as("the CPU before").isNotNegative();
        assertThat(parts[2]).as("the CPU after").isNotEqualTo(parts[1]);
        assertThat(parts[3]).as("its affinity after").isEqualTo(parts[4]);
        assertThat(parts[5]).as("hops counted").isEqualTo("1");
    }

    @Test
    void aThreadAllowedOneCpuStaysWhereItIs() throws Exception {
        assumeTrue(CpuAffinity.isAvailable(), "sched_setaffinity and getcpu through FFM (Linux)");
        String[] parts = SpinningCpu.onOwnThread("hop-probe-one-cpu", () -> {
            int self = CpuAffinity.currentThreadId();
            CpuAffinity.Mask one = new CpuAffinity.Mask();
            one.only(SpinningCpu.highest(SpinningCpu.affinityOf(self)));
            CpuAffinity.write(self, one);
            CpuHop hop = new CpuHop();
            int from = hop.currentCpu();
            boolean hopped = hop.hop();
            return hopped + " " + from + " " + hop.currentCpu() + " " + SpinningCpu.affinityOf(self) + " " + one + " "
                    + hop.hops();
        });

        assertThat(parts[0]).as("hopped").isEqualTo("false");
        assertThat(parts[2]).as("the CPU after").isEqualTo(parts[1]);
        assertThat(parts[3]).as("its affinity after").isEqualTo(parts[4]);
        assertThat(parts[5]).as("hops counted").isEqualTo("0");
    }
}
