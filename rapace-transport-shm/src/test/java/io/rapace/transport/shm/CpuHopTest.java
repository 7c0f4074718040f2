package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** {@link CpuHop}: a real thread moved off its CPU, its affinity as it was after. */
class CpuHopTest {

    @Test
    void aHopMovesTheThreadToAnotherCpuAndLeavesItsAffinityAsItWas() throws Exception {
        assumeTrue(CpuAffinity.isAvailable(), "sched_setaffinity and getcpu through FFM (Linux)");
        CompletableFuture<String> seen = new CompletableFuture<>();
        Thread.ofPlatform().name("hop-probe").start(() -> {
            int self = CpuAffinity.currentThreadId();
            CpuAffinity.Mask before = SpinningCpu.affinityOf(self);
            if (before.count() < 2) {
                seen.complete("one-cpu");
                return;
            }
            CpuHop hop = new CpuHop();
            int from = hop.currentCpu();
            boolean hopped = hop.hop();
            int to = hop.currentCpu();
            seen.complete(hopped + " " + from + " " + to + " " + SpinningCpu.affinityOf(self) + " " + before + " "
                    + hop.hops());
        });

        String result = seen.get(10, TimeUnit.SECONDS);
        assumeTrue(!result.equals("one-cpu"), "this process may run on one CPU only");
        String[] parts = result.split(" ");
        assertThat(parts[0]).as("hopped").isEqualTo("true");
        assertThat(Integer.parseInt(parts[1])).as("the CPU before").isNotNegative();
        assertThat(parts[2]).as("the CPU after").isNotEqualTo(parts[1]);
        assertThat(parts[3]).as("its affinity after").isEqualTo(parts[4]);
        assertThat(parts[5]).as("hops counted").isEqualTo("1");
    }

    @Test
    void aThreadAllowedOneCpuStaysWhereItIs() throws Exception {
        assumeTrue(CpuAffinity.isAvailable(), "sched_setaffinity and getcpu through FFM (Linux)");
        CompletableFuture<String> seen = new CompletableFuture<>();
        Thread.ofPlatform().name("hop-probe-one-cpu").start(() -> {
            int self = CpuAffinity.currentThreadId();
            CpuAffinity.Mask one = new CpuAffinity.Mask();
            one.only(SpinningCpu.highest(SpinningCpu.affinityOf(self)));
            CpuAffinity.write(self, one);
            CpuHop hop = new CpuHop();
            int from = hop.currentCpu();
            boolean hopped = hop.hop();
            seen.complete(hopped + " " + from + " " + hop.currentCpu() + " " + SpinningCpu.affinityOf(self) + " " + one
                    + " " + hop.hops());
        });

        String[] parts = seen.get(10, TimeUnit.SECONDS).split(" ");
        assertThat(parts[0]).as("hopped").isEqualTo("false");
        assertThat(parts[2]).as("the CPU after").isEqualTo(parts[1]);
        assertThat(parts[3]).as("its affinity after").isEqualTo(parts[4]);
        assertThat(parts[5]).as("hops counted").isEqualTo("0");
    }
}
