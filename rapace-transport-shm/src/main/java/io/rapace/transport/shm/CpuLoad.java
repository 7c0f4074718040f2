package io.rapace.transport.shm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * How busy each CPU was between two readings of Linux's {@code /proc/stat}: the share of its time spent running
 * something (user, nice, system, irq, softirq) rather than idle or waiting for I/O; time stolen by the hypervisor
 * counts as neither. Its per-CPU lines read {@code cpuN user nice system idle iowait irq softirq steal ...}, in
 * clock ticks (usually 10 ms). Not thread-safe: one reader.
 */
final class CpuLoad {

    static final Path PROC_STAT = Path.of("/proc/stat");

    /** Least ticks a CPU must have counted between two readings for its share to mean anything. */
    static final long MIN_WINDOW_TICKS = 10;

    private final Path source;

    private long[] busy = new long[0];

    private long[] total = new long[0];

    private long[] busyBefore = new long[0];

    private long[] totalBefore = new long[0];

    CpuLoad(Path source) {
        this.source = source;
    }

    /**
     * Reads the source again; the window is now from the reading before to this one.
     *
     * @return false when the source could not be read or held no per-CPU line (then no CPU is busy)
     */
    boolean sample() {
        String text;
        try {
            text = new String(Files.readAllBytes(this.source), StandardCharsets.US_ASCII);
        }
        catch (IOException | RuntimeException ex) {
            forget();
            return false;
        }
        return sample(text);
    }

    /** {@link #sample()} from the text of a {@code /proc/stat}. */
    boolean sample(String procStat) {
        long[] nextBusy = new long[this.busy.length];
        long[] nextTotal = new long[this.total.length];
        int cpus = 0;
        for (String line : procStat.split("\n")) {
            if (line.length() < 4 || !line.startsWith("cpu") || !Character.isDigit(line.charAt(3))) {
                continue;
            }
            String[] fields = line.trim().split(" +");
            int cpu;
            try {
                cpu = Integer.parseInt(fields[0].substring(3));
            }
            catch (NumberFormatException ex) {
                continue;
            }
            if (cpu >= CpuAffinity.MAX_CPUS || fields.length < 8) {
                continue;
            }
            if (cpu >= nextBusy.length) {
                nextBusy = Arrays.copyOf(nextBusy, cpu + 1);
                nextTotal = Arrays.copyOf(nextTotal, cpu + 1);
            }
            long running = tick(fields[1]) + tick(fields[2]) + tick(fields[3]) + tick(fields[6]) + tick(fields[7]);
            nextBusy[cpu] = running;
            nextTotal[cpu] = running + tick(fields[4]) + tick(fields[5]);
            cpus++;
        }
        this.busyBefore = this.busy;
        this.totalBefore = this.total;
        this.busy = nextBusy;
        this.total = nextTotal;
        return cpus > 0;
    }

    private static long tick(String field) {
        try {
            return Long.parseLong(field);
        }
        catch (NumberFormatException ex) {
            return 0;
        }
    }

    private void forget() {
        this.busy = new long[0];
        this.total = new long[0];
        this.busyBefore = new long[0];
        this.totalBefore = new long[0];
    }

    /**
     * The share of the window that {@code cpu} spent running something, 0 to 1; 0 when the window is too short to
     * tell ({@link #MIN_WINDOW_TICKS}) or the CPU was not in both readings.
     */
    double busyShare(int cpu) {
        if (cpu < 0 || cpu >= this.total.length || cpu >= this.totalBefore.length) {
            return 0;
        }
        long window = this.total[cpu] - this.totalBefore[cpu];
        if (window < MIN_WINDOW_TICKS) {
            return 0;
        }
        return Math.clamp((double) (this.busy[cpu] - this.busyBefore[cpu]) / window, 0.0, 1.0);
    }

    /** Whether any CPU ran something at least {@code least} of the window. */
    boolean anyBusy(double least) {
        for (int cpu = 0; cpu < this.total.length; cpu++) {
            if (busyShare(cpu) >= least) {
                return true;
            }
        }
        return false;
    }

    /** The CPU of {@code allowed} busiest in the window, if its share is at least {@code least}; else -1. */
    int busiest(CpuAffinity.Mask allowed, double least) {
        int busiest = -1;
        double share = least;
        for (int cpu = 0; cpu < this.total.length; cpu++) {
            double busyShare = busyShare(cpu);
            if (busyShare >= share && allowed.contains(cpu)) {
                busiest = cpu;
                share = busyShare;
            }
        }
        return busiest;
    }
}
