package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** {@link ThreadSlice} on real threads of its own: a slice shortened and given back. */
class ThreadSliceTest {

    @Test
    void aThreadsSliceIsShortenedAndGivenBack() throws Exception {
        assumeTrue(LinuxSyscall.isAvailable(), "sched_setattr through FFM (Linux)");
        CompletableFuture<long[]> seen = new CompletableFuture<>();
        Thread.ofPlatform().name("slice-probe").start(() -> {
            int self = CpuAffinity.currentThreadId();
            ThreadSlice slice = new ThreadSlice();
            long before = slice.read(self) ? slice.nanos() : -1;
            boolean shortened = slice.write(self, ThreadSlice.SHORT_NANOS);
            long whileShort = slice.read(self) ? slice.nanos() : -1;
            boolean restored = slice.write(self, before);
            long after = slice.read(self) ? slice.nanos() : -1;
            seen.complete(new long[] {before, shortened ? 1 : 0, whileShort, restored ? 1 : 0, after});
        });

        long[] figures = seen.get(10, TimeUnit.SECONDS);

        assertThat(figures[0]).as("the slice in force, the kernel's default here").isPositive();
        assertThat(figures[1]).as("sched_setattr took the short slice").isEqualTo(1);
        assumeTrue(figures[2] != figures[0], "a kernel that keeps a fair thread's own slice (Linux 6.12 or later)");
        assertThat(figures[2]).isEqualTo(ThreadSlice.SHORT_NANOS);
        assertThat(figures[3]).isEqualTo(1);
        assertThat(figures[4]).as("the slice it had").isEqualTo(figures[0]);
    }

    @Test
    void noSuchThreadIsRefused() {
        assumeTrue(LinuxSyscall.isAvailable(), "sched_getattr through FFM (Linux)");
        ThreadSlice slice = new ThreadSlice();

        // above any pid_max (at most 2^22): ESRCH
        assertThat(slice.read(Integer.MAX_VALUE)).isFalse();
        assertThat(slice.write(Integer.MAX_VALUE, ThreadSlice.SHORT_NANOS)).isFalse();
        assertThat(slice.read(CpuAffinity.currentThreadId())).isTrue();
    }
}
