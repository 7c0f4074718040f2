package io.rapace.transport.shm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

    /** How much of {@code /proc/stat} is read: the per-CPU lines of 1,024 CPUs fit (about 60 bytes each). */
    static final int READ_LIMIT = 64 * 1024;

    private final ByteBuffer buffer = ByteBuffer.allocate(READ_LIMIT);

    /** One line's numbers: the CPU's and the first ten tick counts. */
    private final long[] fields = new long[11];

    /** Per CPU, its running and its running-or-idle ticks at the last reading; -1 where the CPU was not in it. */
    private long[] busy = new long[0];

    private long[] total = new long[0];

    private long[] busyBefore = new long[0];

    private long[] totalBefore = new long[0];

    CpuLoad(Path source) {
        this.source = source;
    }

    /**
     * Reads the source again; the window is now from the reading before to this one. The per-CPU lines come first in
     * {@code /proc/stat}, so at most {@link #READ_LIMIT} bytes are read, into a buffer kept for the next reading.
     *
     * @return false when the source could not be read or held no per-CPU line (then no CPU is busy)
     */
    boolean sample() {
        int length;
        try (FileChannel channel = FileChannel.open(this.source, StandardOpenOption.READ)) {
            ByteBuffer buffer = this.buffer.clear();
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // read on: /proc files come in pieces
            }
            length = buffer.position();
        }
        catch (IOException | RuntimeException ex) {
            forget();
            return false;
        }
        return parse(this.buffer.array(), length);
    }

    /** {@link #sample()} from the text of a {@code /proc/stat}. */
    boolean sample(String procStat) {
        byte[] text = procStat.getBytes(StandardCharsets.US_ASCII);
        return parse(text, text.length);
    }

    /** Parses the {@code cpuN} lines of {@code text[0, length)} into the next reading (no allocation once sized). */
    private boolean parse(byte[] text, int length) {
        long[] before = this.busyBefore;
        long[] totalBefore = this.totalBefore;
        this.busyBefore = this.busy;
        this.totalBefore = this.total;
        this.busy = before;
        this.total = totalBefore;
        Arrays.fill(this.busy, -1);
        int cpus = 0;
        int at = 0;
        while (at < length) {
            int end = at;
            while (end < length && text[end] != '\n') {
                end++;
            }
            if (end - at > 4 && text[at] == 'c' && text[at + 1] == 'p' && text[at + 2] == 'u' && isDigit(text[at + 3])) {
                cpus += parseCpuLine(text, at + 3, end) ? 1 : 0;
            }
            at = end + 1;
        }
        return cpus > 0;
    }

    /** One {@code cpuN user nice system idle iowait irq softirq ...} line from the CPU number at {@code at}. */
    private boolean parseCpuLine(byte[] text, int at, int end) {
        long[] fields = this.fields;
        int count = 0;
        int i = at;
        while (i < end && count < fields.length) {
            while (i < end && text[i] == ' ') {
                i++;
            }
            if (i == end || !isDigit(text[i])) {
                break;
            }
            long value = 0;
            while (i < end && isDigit(text[i])) {
                value = value * 10 + (text[i++] - '0');
            }
            fields[count++] = value;
            if (i < end && text[i] != ' ') {
                return false;  // a number run into something else: not a line of this format
            }
        }
        if (count < 8 || fields[0] >= CpuAffinity.MAX_CPUS) {
            return false;
        }
        int cpu = (int) fields[0];
        if (cpu >= this.busy.length) {
            int size = cpu + 1;
            this.busy = grow(this.busy, size);
            this.total = grow(this.total, size);
            this.busyBefore = grow(this.busyBefore, size);
            this.totalBefore = grow(this.totalBefore, size);
        }
        // fields: cpu, user, nice, system, idle, iowait, irq, softirq, (steal, guest, guest_nice)
        long running = fields[1] + fields[2] + fields[3] + fields[6] + fields[7];
        this.busy[cpu] = running;
        this.total[cpu] = running + fields[4] + fields[5];
        return true;
    }

    private static long[] grow(long[] values, int size) {
        long[] grown = Arrays.copyOf(values, size);
        Arrays.fill(grown, values.length, size, -1);
        return grown;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
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
        if (cpu < 0 || cpu >= this.total.length || cpu >= this.totalBefore.length || this.busy[cpu] < 0
                || this.busyBefore[cpu] < 0) {
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
