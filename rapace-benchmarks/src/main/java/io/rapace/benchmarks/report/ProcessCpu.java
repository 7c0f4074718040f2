package io.rapace.benchmarks.report;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The CPU time a process has used, in nanoseconds, as the idle figures need it: read from the kernel's CPU-time
 * clock of that process ({@code clock_gettime} of the clock id {@code clock_getcpuclockid(3)} gives, built here
 * as {@code (~pid << 3) | 2}: every thread's scheduler run time, exited threads' included, to the nanosecond).
 * {@code /proc/PID/stat} (and {@link ProcessHandle.Info#totalCpuDuration()}, which reads it) counts clock ticks
 * of 10 ms, which over a 10 s idle window is a resolution of 0.1 % of a core: the size of the target it is
 * judged against. Where the clock cannot be read (not Linux, no such process) it falls back to those ticks.
 */
public final class ProcessCpu {

    /** {@code CPUCLOCK_SCHED} in the low bits of a process CPU clock id (Linux, {@code posix-timers.h}). */
    private static final int CPUCLOCK_SCHED = 2;

    /** {@code int clock_gettime(clockid_t, struct timespec *)}, or null where the linker does not find it. */
    private static final @Nullable MethodHandle CLOCK_GETTIME = clockGettime();

    private ProcessCpu() {
    }

    /** CPU time of the process {@code pid} so far (all its threads), or 0 when it is gone. */
    public static long nanos(long pid) {
        long clock = clockNanos(pid);
        return clock >= 0 ? clock : tickNanos(pid);
    }

    /** CPU time of {@code process} and of every descendant it has now, so far. */
    public static long treeNanos(ProcessHandle process) {
        return nanos(process.pid()) + process.descendants().mapToLong(child -> nanos(child.pid())).sum();
    }

    /** The process CPU clock of {@code pid} (its group leader), or -1 when it cannot be read. */
    static long clockNanos(long pid) {
        if (CLOCK_GETTIME == null || pid <= 0 || pid > Integer.MAX_VALUE) {
            return -1;
        }
        int clockId = (~(int) pid << 3) | CPUCLOCK_SCHED;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment timespec = arena.allocate(16, 8);
            int result = (int) CLOCK_GETTIME.invokeExact(clockId, timespec);
            if (result != 0) {
                return -1;
            }
            return timespec.get(ValueLayout.JAVA_LONG, 0) * 1_000_000_000L + timespec.get(ValueLayout.JAVA_LONG, 8);
        }
        catch (Throwable failed) {
            return -1;
        }
    }

    /** The clock ticks of {@code /proc/PID/stat} as nanoseconds, or 0 when the process is gone. */
    static long tickNanos(long pid) {
        return ProcessHandle.of(pid).flatMap(process -> process.info().totalCpuDuration()).map(Duration::toNanos).orElse(0L);
    }

    @SuppressWarnings("restricted")
    private static @Nullable MethodHandle clockGettime() {
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find("clock_gettime")
                .map(symbol -> linker.downcallHandle(symbol,
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS)))
                .orElse(null);
        }
        catch (RuntimeException | LinkageError unavailable) {
            return null;
        }
    }
}
