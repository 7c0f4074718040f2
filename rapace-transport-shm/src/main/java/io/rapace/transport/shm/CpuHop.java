package io.rapace.transport.shm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Reference;

/**
 * Moves the calling thread off the CPU it runs on, to another CPU its affinity allows, and leaves its affinity as it
 * was: {@code sched_setaffinity(2)} without the current CPU (the kernel moves a running thread off a CPU it may no
 * longer use before the call returns), then back to the thread's own mask (which moves nothing). For a caller whose
 * answers come only after it gave its core to the peer's thread, which shares that core while another idles: neither
 * thread ever blocks there (one spins, the other yields), the kernel's balancer leaves two threads that ran within the
 * last half millisecond where they are, and a short park does not help either (measured on a 2-core VM: woken, the
 * caller was placed on the same CPU again in 12 parks of 15). See {@link ShmTransport#moveCallerToAnotherCpu()}.
 *
 * <p>Not thread-safe: one user at a time (the session's receive role). Its buffers are allocated once, so a hop
 * allocates nothing; the first hop in a JVM links the native calls ({@link LinuxSyscall}), unless something linked
 * them before.
 */
final class CpuHop {

    private final CpuAffinity.Mask own = new CpuAffinity.Mask();

    private final CpuAffinity.Mask elsewhere = new CpuAffinity.Mask();

    /** {@code getcpu(2)}'s answer: the CPU, then the NUMA node. */
    private final MemorySegment cpuAndNode = Arena.ofAuto().allocate(2L * Integer.BYTES, Integer.BYTES);

    /** Hops made (for tests and figures); written by the one user at a time. */
    private long hops;

    /**
     * Moves the calling thread to another CPU it may run on; false, having changed nothing, where it cannot: off Linux
     * (x86-64, aarch64), without the native calls, with one CPU allowed, or when the kernel refuses.
     */
    boolean hop() {
        LinuxSyscall.Numbers numbers = LinuxSyscall.available();
        // tid 0: the calling thread
        if (numbers == null || !CpuAffinity.read(0, this.own)) {
            return false;
        }
        int cpu = currentCpu(numbers);
        if (cpu < 0 || !this.own.contains(cpu) || this.own.count() < 2) {
            return false;
        }
        this.elsewhere.copyFrom(this.own);
        this.elsewhere.remove(cpu);
        if (!CpuAffinity.write(0, this.elsewhere)) {
            return false;
        }
        // Its own mask again: allowed where it now runs, so it stays there.
        CpuAffinity.write(0, this.own);
        this.hops++;
        return true;
    }

    /** The CPU the calling thread runs on now ({@code getcpu(2)}), -1 when the kernel refused. */
    int currentCpu() {
        LinuxSyscall.Numbers numbers = LinuxSyscall.available();
        return numbers == null ? -1 : currentCpu(numbers);
    }

    private int currentCpu(LinuxSyscall.Numbers numbers) {
        try {
            long result = LinuxSyscall.call(numbers.getCpu(), this.cpuAndNode.address(), 0, 0, 0);
            return result == 0 ? this.cpuAndNode.get(ValueLayout.JAVA_INT, 0) : -1;
        }
        finally {
            Reference.reachabilityFence(this.cpuAndNode);
        }
    }

    /** How many hops this object made. */
    long hops() {
        return this.hops;
    }
}
