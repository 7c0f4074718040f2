package io.rapace.benchmarks.transport;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.rapace.benchmarks.report.BenchResult;

/**
 * The floor of polling idle in a JVM: a JVM whose only work is one thread that parks {@code --park-us} µs at a time
 * ({@link LockSupport#parkNanos}, as the receive loop does between looks at a v0.3 peer's ring) for
 * {@code --seconds} seconds, after one second of the same to settle. Prints the whole process's CPU over that time
 * (every thread: the parker and the JVM's own housekeeping) as {@code idle_cpu_pct}, and a human line with the
 * parker's wake-ups and their cost, the process's and the parker's own. An idle plugin that polls at that period
 * costs at least this. {@code --wait=sleep|futex|nanosleep|critical-nanosleep} waits another way instead
 * ({@link IdleWait}), to see what the park itself adds.
 */
public final class IdleFloor {

    private IdleFloor() {
    }

    /** {@code [--park-us=N] [--seconds=S] [--wait=park|sleep|futex|nanosleep|critical-nanosleep] [--label=NAME]}. */
    public static void main(String[] args) throws Throwable {
        long parkNanos = TimeUnit.MICROSECONDS.toNanos(Long.parseLong(BenchResult.option(args, "park-us", "4000")));
        double seconds = Double.parseDouble(BenchResult.option(args, "seconds", "10"));
        String label = BenchResult.option(args, "label", "idle-floor-java");
        if (parkNanos <= 0 || seconds <= 0) {
            throw new IllegalArgumentException("--park-us and --seconds must be positive");
        }
        String waitName = BenchResult.option(args, "wait", "park");
        IdleWait wait = IdleWait.named(waitName);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        park(wait, parkNanos, TimeUnit.SECONDS.toNanos(1));
        long cpu0 = os.getProcessCpuTime();
        long own0 = threads.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        long wakes = park(wait, parkNanos, (long) (seconds * 1e9));
        long wall = System.nanoTime() - wall0;
        long own = threads.getCurrentThreadCpuTime() - own0;
        long cpu = os.getProcessCpuTime() - cpu0;
        long perWake = Math.max(1, wakes);
        System.out.printf(Locale.ROOT, "idle floor: %d µs parks (%s), %.0f wake-ups/s, process CPU %.1f µs per"
                + " wake-up, the parker's own %.1f µs%n", TimeUnit.NANOSECONDS.toMicros(parkNanos),
                waitName, wakes / (wall / 1e9), cpu / 1e3 / perWake, own / 1e3 / perWake);
        BenchResult.named(label).idleCpuPercent(100.0 * cpu / wall).print();
    }

    private static long park(IdleWait wait, long parkNanos, long forNanos) throws Throwable {
        long end = System.nanoTime() + forNanos;
        long wakes = 0;
        while (System.nanoTime() < end) {
            wait.waitFor(parkNanos);
            wakes++;
        }
        return wakes;
    }
}
