package io.rapace.benchmarks.transport;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * libc's {@code syscall(SYS_futex, word, op, value, timeout)} through the FFM linker, for the benchmarks that sleep
 * on a word as the wake extension's consumer does ({@link WakeFloor}, {@link IdleWait}); the shared ops, since the
 * word may lie in a mapping shared between processes. x86-64 Linux, the benchmark machine's.
 */
final class LinuxFutex {

    static final int WAIT = 0;

    static final int WAKE = 1;

    private static final long SYS_FUTEX = 202;

    private static final MethodHandle SYSCALL = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().findOrThrow("syscall"),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS),
            Linker.Option.firstVariadicArg(1));

    private LinuxFutex() {
    }

    /** The system call's result: 0 or a count of woken waiters, -1 with {@code errno} set (not read here). */
    static long call(MemorySegment word, int op, int value, MemorySegment timeout) throws Throwable {
        return (long) SYSCALL.invokeExact(SYS_FUTEX, word, op, value, timeout);
    }

    /**
     * Sets {@code timespec}, a {@code struct timespec} of x86-64 Linux (seconds, then nanoseconds: 8 bytes each), as
     * {@code FUTEX_WAIT} and {@code clock_nanosleep} take it, to {@code nanos}.
     */
    static void setTimespec(MemorySegment timespec, long nanos) {
        timespec.set(ValueLayout.JAVA_LONG, 0, nanos / 1_000_000_000L);
        timespec.set(ValueLayout.JAVA_LONG, 8, nanos % 1_000_000_000L);
    }
}
