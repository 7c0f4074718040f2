package io.rapace.core.session;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The calling thread's CPU affinity, through libc's {@code sched_getaffinity} / {@code sched_setaffinity} (Linux;
 * thread id 0 is the calling thread): so that a test can put its thread and spinning threads on one core and be
 * sure that its thread waits for it.
 */
final class CpuAffinity {

    /** {@code sizeof(cpu_set_t)} in glibc: 1,024 CPUs. */
    private static final long SET_BYTES = 128;

    private static final MethodHandle GET;

    private static final MethodHandle SET;

    static {
        Linker linker = Linker.nativeLinker();
        FunctionDescriptor descriptor = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_LONG, ValueLayout.ADDRESS);
        GET = linker.downcallHandle(linker.defaultLookup().find("sched_getaffinity").orElseThrow(), descriptor);
        SET = linker.downcallHandle(linker.defaultLookup().find("sched_setaffinity").orElseThrow(), descriptor);
    }

    private CpuAffinity() {
    }

    /** The calling thread's affinity mask, to give back to {@link #set}. */
    static byte[] get() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(SET_BYTES);
            check((int) GET.invokeExact(0, SET_BYTES, mask), "sched_getaffinity");
            return mask.toArray(ValueLayout.JAVA_BYTE);
        }
        catch (Throwable ex) {
            throw new IllegalStateException("cannot read this thread's CPU affinity", ex);
        }
    }

    /** Restricts the calling thread to CPU 0. */
    static void pinToFirstCpu() {
        byte[] mask = new byte[(int) SET_BYTES];
        mask[0] = 1;
        set(mask);
    }

    /** Sets the calling thread's affinity mask. */
    static void set(byte[] mask) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(SET_BYTES);
            segment.copyFrom(MemorySegment.ofArray(mask));
            check((int) SET.invokeExact(0, SET_BYTES, segment), "sched_setaffinity");
        }
        catch (Throwable ex) {
            throw new IllegalStateException("cannot set this thread's CPU affinity", ex);
        }
    }

    private static void check(int result, String call) {
        if (result != 0) {
            throw new IllegalStateException(call + " failed");
        }
    }
}
