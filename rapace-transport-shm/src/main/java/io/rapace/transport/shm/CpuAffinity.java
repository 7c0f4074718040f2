package io.rapace.transport.shm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Linux thread CPU affinity ({@code sched_getaffinity(2)}, {@code sched_setaffinity(2)}, {@code gettid(2)}) through
 * libc's {@code syscall} and the FFM linker, and the {@code cpu_set_t} masks they take. Used by
 * {@link BusyCpuParking} only.
 *
 * <p>One downcall handle serves the three calls (the variadic {@code syscall} with the same argument shape; {@code
 * gettid} ignores its arguments): linking a handle costs a cold JVM tens of ms of CPU, the first one most. Available
 * on Linux x86-64 and aarch64 when the linker finds {@code syscall}; otherwise {@link #isAvailable()} is false and
 * nothing is bound. A mask covers CPUs 0 to {@value #MAX_CPUS} - 1, glibc's default {@code cpu_set_t}; a machine
 * with more CPUs than that is left alone.
 */
final class CpuAffinity {

    /** CPUs a {@link Mask} covers: glibc's {@code CPU_SETSIZE}. */
    static final int MAX_CPUS = 1024;

    private static final long MASK_BYTES = MAX_CPUS / Byte.SIZE;

    private static final System.Logger LOG = System.getLogger(CpuAffinity.class.getName());

    /** The system call numbers: {@code gettid}, {@code sched_getaffinity}, {@code sched_setaffinity}; empty if unknown. */
    private static final long[] NUMBERS = numbers(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));

    /** {@code long syscall(long number, ...)} called as (number, int tid, long size, cpu_set_t *mask). */
    private static final @Nullable MethodHandle SYSCALL;

    static {
        MethodHandle syscall = null;
        if (NUMBERS.length == 3) {
            try {
                syscall = link();
            }
            catch (RuntimeException | LinkageError ex) {
                LOG.log(System.Logger.Level.DEBUG, "thread affinity unavailable: {0}", ex.toString());
            }
        }
        SYSCALL = syscall;
    }

    private CpuAffinity() {
    }

    /** The system call numbers for a Linux architecture, or an empty array. */
    static long[] numbers(String osName, String osArch) {
        if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return new long[0];
        }
        return switch (osArch) {
            case "amd64", "x86_64" -> new long[] {186, 204, 203};
            case "aarch64", "arm64" -> new long[] {178, 123, 122};
            default -> new long[0];
        };
    }

    /** A restricted method, linked like {@link Futex}'s (the JDK warns once if native access was not enabled). */
    @SuppressWarnings("restricted")
    private static MethodHandle link() {
        Linker linker = Linker.nativeLinker();
        MemorySegment syscall = linker.defaultLookup().find("syscall")
                .orElseThrow(() -> new UnsupportedOperationException("libc has no syscall symbol"));
        return linker.downcallHandle(syscall, FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS), Linker.Option.firstVariadicArg(1));
    }

    /** Whether affinities can be read and set in this JVM. */
    static boolean isAvailable() {
        return SYSCALL != null;
    }

    /** The kernel's id of the calling thread (its {@code tid}); -1 when unavailable. */
    static int currentThreadId() {
        return SYSCALL == null ? -1 : (int) call(NUMBERS[0], 0, MemorySegment.NULL);
    }

    /** Reads the affinity of thread {@code tid} into {@code mask}; false when the kernel refused. */
    static boolean read(int tid, Mask mask) {
        // the raw system call answers the size of the mask it wrote
        return SYSCALL != null && call(NUMBERS[1], tid, mask.bits) > 0;
    }

    /**
     * Sets the affinity of thread {@code tid} to {@code mask}; false when the kernel refused (a CPU gone offline, a
     * cgroup's cpuset that excludes it, a thread that ended). A thread running on a CPU outside the new mask is
     * moved off it at once.
     */
    static boolean write(int tid, Mask mask) {
        return SYSCALL != null && call(NUMBERS[2], tid, mask.bits) == 0;
    }

    private static long call(long number, int tid, MemorySegment mask) {
        try {
            return (long) Objects.requireNonNull(SYSCALL).invokeExact(number, tid, MASK_BYTES, mask);
        }
        catch (Throwable ex) {
            throw new IllegalStateException("system call " + number + " failed", ex);
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
