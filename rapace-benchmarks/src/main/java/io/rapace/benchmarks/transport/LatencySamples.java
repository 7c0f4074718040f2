package io.rapace.benchmarks.transport;

import java.util.Arrays;

/** A fixed-size store of nanosecond samples with percentiles; no allocation while recording. */
final class LatencySamples {

    private final long[] samples;
    private int count;

    LatencySamples(int capacity) {
        this.samples = new long[capacity];
    }

    void record(long nanos) {
        samples[count++] = nanos;
    }

    /** The {@code p}-th percentile (0 < p <= 100) in microseconds, nearest-rank. */
    double percentileMicros(double p) {
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * count);
        return sorted[Math.clamp(rank - 1, 0, count - 1)] / 1_000.0;
    }

    /** The samples in ascending order (a copy). */
    long[] sorted() {
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        return sorted;
    }

    int count() {
        return count;
    }
}
