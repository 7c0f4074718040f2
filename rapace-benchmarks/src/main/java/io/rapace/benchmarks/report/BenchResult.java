package io.rapace.benchmarks.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * One measurement as the comparison script reads it: a single line
 * {@code RESULT name=<label> p50_us=<x> p99_us=<x> p999_us=<x> calls_per_s=<x> idle_cpu_pct=<x>
 * first_after_idle_us=<x> startup_ms=<x> alloc_b_per_call=<x> gbps=<x>}, with {@code -} where a figure does not
 * apply. The same format is printed by the C reference peer ({@code rapace-benchmarks/reference-peer}) and by
 * the comparison peers, so every contender lands in the same table.
 *
 * <p>Percentile files ({@code --hist-out FILE}) hold {@code percentile,us} pairs: 50 to 99.99 with ten points
 * per decade of {@code 1/(1-p)}, then {@code 100} (the maximum); {@link LatencyChart} draws them.
 */
public final class BenchResult {

    private final String name;

    private double p50 = -1;

    private double p99 = -1;

    private double p999 = -1;

    private double callsPerSecond = -1;

    private double idleCpuPercent = -1;

    private double firstAfterIdleMicros = -1;

    private double startupMillis = -1;

    private double allocatedBytesPerCall = -1;

    private double gigabytesPerSecond = -1;

    private BenchResult(String name) {
        this.name = name;
    }

    /** A result named {@code name} (no spaces) with every figure "not applicable". */
    public static BenchResult named(String name) {
        return new BenchResult(name.replace(' ', '_'));
    }

    /** p50, p99 and p99.9 of {@code sortedNanos} (ascending nanoseconds). */
    public BenchResult latencies(long[] sortedNanos) {
        this.p50 = percentileMicros(sortedNanos, 50);
        this.p99 = percentileMicros(sortedNanos, 99);
        this.p999 = percentileMicros(sortedNanos, 99.9);
        return this;
    }

    public BenchResult latencies(double p50Micros, double p99Micros, double p999Micros) {
        this.p50 = p50Micros;
        this.p99 = p99Micros;
        this.p999 = p999Micros;
        return this;
    }

    public BenchResult callsPerSecond(double value) {
        this.callsPerSecond = value;
        return this;
    }

    public BenchResult idleCpuPercent(double value) {
        this.idleCpuPercent = value;
        return this;
    }

    public BenchResult firstAfterIdleMicros(double value) {
        this.firstAfterIdleMicros = value;
        return this;
    }

    public BenchResult startupMillis(double value) {
        this.startupMillis = value;
        return this;
    }

    public BenchResult allocatedBytesPerCall(double value) {
        this.allocatedBytesPerCall = value;
        return this;
    }

    public BenchResult gigabytesPerSecond(double value) {
        this.gigabytesPerSecond = value;
        return this;
    }

    /** The {@code RESULT ...} line. */
    public String line() {
        return "RESULT name=" + this.name + " p50_us=" + fmt(this.p50, "%.2f") + " p99_us=" + fmt(this.p99, "%.2f")
                + " p999_us=" + fmt(this.p999, "%.2f") + " calls_per_s=" + fmt(this.callsPerSecond, "%.0f")
                + " idle_cpu_pct=" + fmt(this.idleCpuPercent, "%.2f") + " first_after_idle_us="
                + fmt(this.firstAfterIdleMicros, "%.2f") + " startup_ms=" + fmt(this.startupMillis, "%.1f")
                + " alloc_b_per_call=" + fmt(this.allocatedBytesPerCall, "%.0f") + " gbps="
                + fmt(this.gigabytesPerSecond, "%.3f");
    }

    /** Prints {@link #line()} to stdout. */
    public void print() {
        System.out.println(line());
        System.out.flush();
    }

    private static String fmt(double value, String format) {
        return value < 0 || Double.isNaN(value) ? "-" : String.format(Locale.ROOT, format, value);
    }

    /** Nearest-rank percentile ({@code 0 < p <= 100}) of ascending nanoseconds, in microseconds. */
    public static double percentileMicros(long[] sortedNanos, double p) {
        int n = sortedNanos.length;
        if (n == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(p / 100.0 * n - 1e-9);
        return sortedNanos[Math.clamp(rank - 1, 0, n - 1)] / 1_000.0;
    }

    /**
     * Writes the percentile file of {@code sortedNanos} (ascending) to {@code file} when it is not null: the
     * same percentiles as the C peer writes.
     */
    public static void writeHistogram(@Nullable String file, String label, long[] sortedNanos) {
        if (file == null || file.isEmpty() || sortedNanos.length == 0) {
            return;
        }
        StringBuilder out = new StringBuilder();
        out.append("# ").append(label).append(": percentile,us (").append(sortedNanos.length).append(" samples)\n");
        double tail = 50.0;
        for (int k = 0; k <= 37; k++, tail *= 0.7943282347242815) {
            out.append(String.format(Locale.ROOT, "%.4f,%.3f%n", 100.0 - tail,
                    percentileMicros(sortedNanos, 100.0 - tail)));
        }
        out.append(String.format(Locale.ROOT, "100,%.3f%n", sortedNanos[sortedNanos.length - 1] / 1_000.0));
        try {
            Path path = Path.of(file);
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            Files.writeString(path, out, StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot write " + file, ex);
        }
    }

    /** Sorts a copy of {@code nanos}. */
    public static long[] sorted(long[] nanos) {
        long[] copy = Arrays.copyOf(nanos, nanos.length);
        Arrays.sort(copy);
        return copy;
    }

    /**
     * Bytes the current thread has allocated so far ({@code com.sun.management.ThreadMXBean}), or -1 where the
     * JVM does not tell. Differences of two readings cover this thread only.
     */
    public static long threadAllocatedBytes() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
                && threads.isThreadAllocatedMemorySupported()) {
            return threads.getCurrentThreadAllocatedBytes();
        }
        return -1;
    }

    /** The value of {@code --name=VALUE} or {@code --name VALUE} in {@code args}, else {@code fallback}. */
    public static @Nullable String option(String[] args, String name, @Nullable String fallback) {
        String prefix = "--" + name + "=";
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith(prefix)) {
                return args[i].substring(prefix.length());
            }
            if (args[i].equals("--" + name) && i + 1 < args.length) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
