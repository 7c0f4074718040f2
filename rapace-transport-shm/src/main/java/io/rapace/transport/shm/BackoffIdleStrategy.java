package io.rapace.transport.shm;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Spins, then yields, then parks with sleeps that double up to a maximum: a busy peer is answered
 * within microseconds, an idle one costs close to no CPU.
 */
public final class BackoffIdleStrategy implements IdleStrategy {

    /** Default number of busy spins before yielding. */
    public static final int DEFAULT_MAX_SPINS = 100;

    /** Default number of yields before parking. */
    public static final int DEFAULT_MAX_YIELDS = 20;

    /** Default first park: 1 µs. */
    public static final long DEFAULT_MIN_PARK_NANOS = 1_000;

    /** Default longest park: 1 ms. */
    public static final long DEFAULT_MAX_PARK_NANOS = 1_000_000;

    private final int maxSpins;
    private final int maxYields;
    private final long minParkNanos;
    private final long maxParkNanos;

    private int spins;
    private int yields;
    private long parkNanos;

    /** With the defaults: 100 spins, 20 yields, parks from 1 µs doubling up to 1 ms. */
    public BackoffIdleStrategy() {
        this(DEFAULT_MAX_SPINS, DEFAULT_MAX_YIELDS, DEFAULT_MIN_PARK_NANOS, DEFAULT_MAX_PARK_NANOS);
    }

    /**
     * @param maxSpins busy spins before yielding, {@code >= 0}
     * @param maxYields yields before parking, {@code >= 0}
     * @param minParkNanos first park, {@code > 0}
     * @param maxParkNanos longest park, {@code >= minParkNanos}
     */
    public BackoffIdleStrategy(int maxSpins, int maxYields, long minParkNanos, long maxParkNanos) {
        if (maxSpins < 0 || maxYields < 0) {
            throw new IllegalArgumentException("maxSpins=" + maxSpins + " and maxYields=" + maxYields + " must be >= 0");
        }
        if (minParkNanos <= 0 || maxParkNanos < minParkNanos) {
            throw new IllegalArgumentException("minParkNanos=" + minParkNanos + " must be > 0 and maxParkNanos="
                    + maxParkNanos + " must be >= minParkNanos");
        }
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
        this.minParkNanos = minParkNanos;
        this.maxParkNanos = maxParkNanos;
        this.parkNanos = minParkNanos;
    }

    /** The defaults with another longest park. */
    public static BackoffIdleStrategy withMaxPark(Duration maxPark) {
        long max = maxPark.toNanos();
        return new BackoffIdleStrategy(DEFAULT_MAX_SPINS, DEFAULT_MAX_YIELDS, Math.min(DEFAULT_MIN_PARK_NANOS, max), max);
    }

    @Override
    public void idle(int workCount) {
        if (workCount > 0) {
            reset();
            return;
        }
        if (spins < maxSpins) {
            spins++;
            Thread.onSpinWait();
        }
        else if (yields < maxYields) {
            yields++;
            Thread.yield();
        }
        else {
            LockSupport.parkNanos(parkNanos);
            parkNanos = Math.min(parkNanos << 1, maxParkNanos);
        }
    }

    @Override
    public void reset() {
        spins = 0;
        yields = 0;
        parkNanos = minParkNanos;
    }

    @Override
    public String toString() {
        return "BackoffIdleStrategy[maxSpins=" + maxSpins + ", maxYields=" + maxYields + ", minParkNanos="
                + minParkNanos + ", maxParkNanos=" + maxParkNanos + "]";
    }
}
