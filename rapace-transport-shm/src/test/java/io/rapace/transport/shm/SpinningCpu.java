package io.rapace.transport.shm;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A platform thread bound to one CPU that spins there until closed: the CPU a busy-polling peer keeps running. For
 * tests of {@link BusyCpuParking}.
 */
final class SpinningCpu implements AutoCloseable {

    private final Thread thread;

    private final CountDownLatch bound = new CountDownLatch(1);

    private volatile boolean running = true;

    private volatile boolean boundOk;

    private SpinningCpu(int cpu) {
        this.thread = Thread.ofPlatform().daemon().name("spinning-cpu-" + cpu).start(() -> {
            CpuAffinity.Mask only = new CpuAffinity.Mask();
            only.only(cpu);
            this.boundOk = CpuAffinity.write(CpuAffinity.currentThreadId(), only);
            this.bound.countDown();
            while (this.running) {
                Thread.onSpinWait();
            }
        });
    }

    /** Starts spinning on {@code cpu}; fails when the thread could not be bound to it. */
    static SpinningCpu on(int cpu) throws InterruptedException {
        SpinningCpu spinning = new SpinningCpu(cpu);
        if (!spinning.bound.await(10, TimeUnit.SECONDS) || !spinning.boundOk) {
            spinning.close();
            throw new IllegalStateException("could not bind a spinning thread to CPU " + cpu);
        }
        return spinning;
    }

    /** The affinity of thread {@code thread} (a kernel thread id). */
    static CpuAffinity.Mask affinityOf(int thread) {
        CpuAffinity.Mask mask = new CpuAffinity.Mask();
        if (!CpuAffinity.read(thread, mask)) {
            throw new IllegalStateException("cannot read the affinity of thread " + thread);
        }
        return mask;
    }

    /** The slice of thread {@code thread} (a kernel thread id), in ns. */
    static long sliceOf(int thread) {
        ThreadSlice slice = new ThreadSlice();
        if (!slice.read(thread)) {
            throw new IllegalStateException("cannot read the scheduling attributes of thread " + thread);
        }
        return slice.nanos();
    }

    /**
     * Whether the kernel keeps the slice a fair thread asks for (Linux 6.12 or later; older kernels take it and ignore
     * it): probed on a thread of its own.
     */
    static boolean kernelKeepsSlices() throws Exception {
        CompletableFuture<Boolean> kept = new CompletableFuture<>();
        Thread.ofPlatform().name("slice-probe").start(() -> {
            int self = CpuAffinity.currentThreadId();
            ThreadSlice slice = new ThreadSlice();
            kept.complete(slice.read(self) && slice.write(self, ThreadSlice.SHORT_NANOS) && slice.read(self)
                    && slice.nanos() == ThreadSlice.SHORT_NANOS);
        });
        return kept.get(10, TimeUnit.SECONDS);
    }

    /**
     * Runs {@code probe} on a new platform thread named {@code name} (whose affinity it may change freely) and returns
     * its answer split at spaces: the words a test then checks.
     */
    static String[] onOwnThread(String name, Supplier<String> probe) throws Exception {
        CompletableFuture<String> seen = new CompletableFuture<>();
        Thread.ofPlatform().name(name).start(() -> {
            try {
                seen.complete(probe.get());
            }
            catch (RuntimeException | Error ex) {
                seen.completeExceptionally(ex);
            }
        });
        return seen.get(10, TimeUnit.SECONDS).split(" ");
    }

    /** The highest CPU of {@code mask}, or -1. */
    static int highest(CpuAffinity.Mask mask) {
        for (int cpu = CpuAffinity.MAX_CPUS - 1; cpu >= 0; cpu--) {
            if (mask.contains(cpu)) {
                return cpu;
            }
        }
        return -1;
    }

    @Override
    public void close() throws InterruptedException {
        this.running = false;
        this.thread.join(10_000);
    }
}
