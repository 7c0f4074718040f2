package io.rapace.transport.shm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Reference;

/**
 * Linux thread CPU affinity ({@code sched_getaffinity(2)}, {@code sched_setaffinity(2)}, {@code gettid(2)}) through
 * {@link LinuxSyscall}, and the {@code cpu_set_t} masks they take. Used by {@link BusyCpuParking} and {@link CpuHop}. A mask
 * covers CPUs 0 to {@value #MAX_CPUS} - 1, glibc's default {@code cpu_set_t}; a machine with more CPUs than that is
 * left alone.
 */
final class CpuAffinity {

    /** CPUs a {@link Mask} covers: glibc's {@code CPU_SETSIZE}. */
    static final int MAX_CPUS = 1024;

    private static final long MASK_BYTES = MAX_CPUS / Byte.SIZE;

    private CpuAffinity() {
    }

    /** Whether affinities can be read and set in this JVM. */
    static boolean isAvailable() {
        return LinuxSyscall.isAvailable();
    }

    /** The kernel's id of the calling thread (its {@code tid}); -1 when unavailable. */
    static int currentThreadId() {
        LinuxSyscall.Numbers numbers = LinuxSyscall.available();
        return numbers == null ? -1 : (int) LinuxSyscall.call(numbers.gettid(), 0, 0, 0, 0);
    }

    /** Reads the affinity of thread {@code tid} into {@code mask}; false when the kernel refused. */
    static boolean read(int tid, Mask mask) {
        LinuxSyscall.Numbers numbers = LinuxSyscall.available();
        // the raw system call answers the size of the mask it wrote
        return numbers != null && call(numbers.getAffinity(), tid, mask) > 0;
    }

    /**
     * Sets the affinity of thread {@code tid} to {@code mask}; false when the kernel refused (a CPU gone offline, a
     * cgroup's cpuset that excludes it, a thread that ended). A thread running on a CPU outside the new mask is
     * moved off it at once.
     */
    static boolean write(int tid, Mask mask) {
        LinuxSyscall.Numbers numbers = LinuxSyscall.available();
        return numbers != null && call(numbers.setAffinity(), tid, mask) == 0;
    }

    /** The mask is passed by its address: it must stay reachable (its memory not freed) until the kernel returns. */
    private static long call(long number, int tid, Mask mask) {
        try {
            return LinuxSyscall.call(number, tid, MASK_BYTES, mask.bits.address(), 0);
        }
        finally {
            Reference.reachabilityFence(mask);
        }
    }

    /** A {@code cpu_set_t}: one bit per CPU, in native memory that lives as long as this object. */
    static final class Mask {

        private final MemorySegment bits = Arena.ofAuto().allocate(MASK_BYTES, Long.BYTES);

        boolean contains(int cpu) {
            return cpu >= 0 && cpu < MAX_CPUS && (word(cpu) & bit(cpu)) != 0;
        }

        void add(int cpu) {
            this.bits.setAtIndex(ValueLayout.JAVA_LONG, cpu >>> 6, word(cpu) | bit(cpu));
        }

        void remove(int cpu) {
            this.bits.setAtIndex(ValueLayout.JAVA_LONG, cpu >>> 6, word(cpu) & ~bit(cpu));
        }

        /** How many CPUs the mask holds. */
        int count() {
            int count = 0;
            for (long i = 0; i < MASK_BYTES / Long.BYTES; i++) {
                count += Long.bitCount(this.bits.getAtIndex(ValueLayout.JAVA_LONG, i));
            }
            return count;
        }

        /** Makes this mask hold exactly the CPUs of {@code other}. */
        void copyFrom(Mask other) {
            this.bits.copyFrom(other.bits);
        }

        /** Makes this mask hold every CPU it can. */
        void all() {
            this.bits.fill((byte) 0xFF);
        }

        /** Makes this mask hold {@code cpu} alone. */
        void only(int cpu) {
            this.bits.fill((byte) 0);
            add(cpu);
        }

        private long word(int cpu) {
            return this.bits.getAtIndex(ValueLayout.JAVA_LONG, cpu >>> 6);
        }

        private static long bit(int cpu) {
            return 1L << (cpu & 63);
        }

        @Override
        public String toString() {
            StringBuilder cpus = new StringBuilder("[");
            for (int cpu = 0; cpu < MAX_CPUS; cpu++) {
                if (contains(cpu)) {
                    cpus.append(cpus.length() > 1 ? "," : "").append(cpu);
                }
            }
            return cpus.append(']').toString();
        }
    }
}
