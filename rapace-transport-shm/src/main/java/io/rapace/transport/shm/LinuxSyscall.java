package io.rapace.transport.shm;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * libc's {@code syscall(2)} through one FFM downcall handle, for the thread-placement calls of {@link BusyCpuParking}
 * and {@link CpuHop} ({@link CpuAffinity}, {@link ThreadSlice}, {@code getcpu}): every call passes four {@code long} arguments after the number (a
 * pointer as its address, unused ones as 0, which the kernel ignores), so one handle serves them all; linking a
 * handle costs a cold JVM tens of ms of CPU, the first one most. ({@link Futex} links its own, with {@code errno}
 * captured.) Available on Linux x86-64 and aarch64 when the linker finds {@code syscall}; otherwise
 * {@link #isAvailable()} is false and nothing calls the kernel.
 */
final class LinuxSyscall {

    /** The logger, made at this class's first log line: a process that logs nothing never sets up the JDK's logging. */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(LinuxSyscall.class.getName());
    }

    /** This machine's system call numbers, null off Linux x86-64 and aarch64. */
    private static final @Nullable Numbers NUMBERS =
            numbers(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));

    /** {@code long syscall(long number, ...)} called as (number, long, long, long, long). */
    private static final @Nullable MethodHandle SYSCALL;

    static {
        MethodHandle syscall = null;
        if (NUMBERS != null) {
            try {
                syscall = link();
            }
            catch (RuntimeException | LinkageError ex) {
                Log.LOG.log(System.Logger.Level.DEBUG, "thread placement calls unavailable: {0}", ex.toString());
            }
        }
        SYSCALL = syscall;
    }

    private LinuxSyscall() {
    }

    /**
     * The numbers of the system calls used here, for one architecture.
     *
     * @param gettid {@code gettid(2)}
     * @param getAffinity {@code sched_getaffinity(2)}
     * @param setAffinity {@code sched_setaffinity(2)}
     * @param getAttr {@code sched_getattr(2)}
     * @param setAttr {@code sched_setattr(2)}
     * @param getCpu {@code getcpu(2)}
     */
    record Numbers(long gettid, long getAffinity, long setAffinity, long getAttr, long setAttr, long getCpu) {
    }

    /** The system call numbers for a Linux architecture, or null. */
    static @Nullable Numbers numbers(String osName, String osArch) {
        if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return null;
        }
        return switch (osArch) {
            case "amd64", "x86_64" -> new Numbers(186, 204, 203, 315, 314, 309);
            case "aarch64", "arm64" -> new Numbers(178, 123, 122, 275, 274, 168);
            default -> null;
        };
    }

    /** A restricted method, linked like {@link Futex}'s (the JDK warns once if native access was not enabled). */
    @SuppressWarnings("restricted")
    private static MethodHandle link() {
        Linker linker = Linker.nativeLinker();
        MemorySegment syscall = linker.defaultLookup().find("syscall")
                .orElseThrow(() -> new UnsupportedOperationException("libc has no syscall symbol"));
        return linker.downcallHandle(syscall, FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
                Linker.Option.firstVariadicArg(1));
    }

    /** Whether the calls can be made in this JVM (links them on first use). */
    static boolean isAvailable() {
        return available() != null;
    }

    /** This machine's system call numbers when the calls can be made, else null (links them on first use). */
    static @Nullable Numbers available() {
        return SYSCALL == null ? null : NUMBERS;
    }

    /**
     * Calls system call {@code number} with four arguments; answers what the kernel answered, -1 for an error (errno
     * is not read: the callers only need to know that the kernel refused).
     */
    static long call(long number, long a, long b, long c, long d) {
        try {
            return (long) Objects.requireNonNull(SYSCALL, "no syscall downcall").invokeExact(number, a, b, c, d);
        }
        catch (Throwable ex) {
            throw new IllegalStateException("system call " + number + " failed", ex);
        }
    }
}
