package io.rapace.spring.boot.host;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: the n-th restart in a row waits {@code initial × 2^(n-1)}, at most {@code max},
 * then spread by ± {@code jitter} (a fraction, 0.2 = ±20 %) so that plugins that failed together do not restart
 * together.
 *
 * @param initial the delay before the first restart
 * @param max the longest delay
 * @param jitter the random spread as a fraction of the delay, in [0, 1]
 */
public record Backoff(Duration initial, Duration max, double jitter) {

    /** Validates: positive durations, {@code initial <= max}, jitter in [0, 1]. */
    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("backoff.initial must be positive, was " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff.max (" + max + ") must not be below backoff.initial (" + initial + ")");
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("backoff.jitter must be in [0, 1], was " + jitter);
        }
    }

    /** The delay before restart number {@code attempt} (1 for the first) in a row. */
    public Duration delay(int attempt, RandomGenerator random) {
        long base = this.initial.toNanos();
        long cap = this.max.toNanos();
        int doublings = Math.min(Math.max(attempt - 1, 0), 62);
        long nanos = base;
        for (int i = 0; i < doublings && nanos < cap; i++) {
            nanos = nanos > cap / 2 ? cap : nanos * 2;
        }
        nanos = Math.min(nanos, cap);
        double spread = this.jitter == 0 ? 1 : 1 + this.jitter * (2 * random.nextDouble() - 1);
        return Duration.ofNanos(Math.max(1, (long) (nanos * spread)));
    }
}
