package io.rapace.transport.shm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Linux thread CPU affinity ({@code sched_getaffinity(2)}, {@code sched_setaffinity(2)}, {@code gettid(2)}) through
 * libc and the FFM linker, and the {@code cpu_set_t} masks they take. Used by {@link BusyCpuParking} only.
 *
 * <p>Available on Linux when the linker finds the three libc functions (glibc 2.30 or later for {@code gettid});
 * otherwise {@link #isAvailable()} is false and nothing is pinned. A mask covers CPUs 0 to {@value #MAX_CPUS} - 1,
 * glibc's default {@code cpu_set_t}; a machine with more CPUs than that is left alone.
 */
final class CpuAffinity {

    /** CPUs a {@link Mask} covers: glibc's {@code CPU_SETSIZE}. */
    static final int MAX_CPUS = 1024;

    private static final long MASK_BYTES = MAX_CPUS / Byte.SIZE;

    private static final System.Logger LOG = System.getLogger(CpuAffinity.class.getName());

    /** {@code int sched_getaffinity(pid_t tid, size_t size, cpu_set_t *mask)}. */
    private static final @Nullable MethodHandle GET;

    /** {@code int sched_setaffinity(pid_t tid, size_t size, const cpu_set_t *mask)}. */
    private static final @Nullable MethodHandle SET;

    /** {@code pid_t gettid(void)}. */
    private static final @Nullable MethodHandle GETTID;

    static {
        MethodHandle get = null;
        MethodHandle set = null;
        MethodHandle gettid = null;
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            try {
                Linker linker = Linker.nativeLinker();
                FunctionDescriptor affinity = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_LONG, ValueLayout.ADDRESS);
                get = downcall(linker, "sched_getaffinity", affinity);
                set = downcall(linker, "sched_setaffinity", affinity);
                gettid = downcall(linker, "gettid", FunctionDescriptor.of(ValueLayout.JAVA_INT));
            }
            catch (RuntimeException | LinkageError ex) {
                get = null;
                set = null;
                gettid = null;
                LOG.log(System.Logger.Level.DEBUG, "thread affinity unavailable: {0}", ex.toString());
            }
        }
        GET = get;
        SET = set;
        GETTID = gettid;
    }

    private CpuAffinity() {
    }

    /** A restricted method, linked like {@link Futex}'s (the JDK warns once if native access was not enabled). */
    @SuppressWarnings("restricted")
    private static MethodHandle downcall(Linker linker, String function, FunctionDescriptor descriptor) {
        MemorySegment address = linker.defaultLookup().find(function)
                .orElseThrow(() -> new UnsupportedOperationException("libc has no " + function));
        return linker.downcallHandle(address, descriptor);
    }

    /** Whether affinities can be read and set in this JVM. */
    static boolean isAvailable() {
        return GET != null && SET != null && GETTID != null;
    }

    /** The kernel's id of the calling thread (its {@code tid}); -1 when unavailable. */
    static int currentThreadId() {
        if (GETTID == null) {
            return -1;
        }
        try {
            return (int) GETTID.invokeExact();
        }
        catch (Throwable ex) {
            throw new IllegalStateException("gettid failed", ex);
        }
    }

    /** Reads the affinity of thread {@code tid} into {@code mask}; false when the kernel refused. */
    static boolean read(int tid, Mask mask) {
        return call(GET, tid, mask);
    }

    /**
     * Sets the affinity of thread {@code tid} to {@code mask}; false when the kernel refused (a CPU gone offline, a
     * cgroup's cpuset that excludes it, a thread that ended). A thread running on a CPU outside the new mask is
     * moved off it at once.
     */
    static boolean write(int tid, Mask mask) {
        return call(SET, tid, mask);
    }

    private static boolean call(@Nullable MethodHandle function, int tid, Mask mask) {
        if (function == null) {
            return false;
        }
        try {
            return (int) function.invokeExact(tid, MASK_BYTES, mask.bits) == 0;
        }
        catch (Throwable ex) {
            throw new IllegalStateException("sched affinity call failed", ex);
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
