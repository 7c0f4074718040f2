package io.rapace.transport.shm;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Spins briefly, then yields for a bounded window of time, then parks with sleeps that double up to a
 * maximum: a peer that answers within the yield window is seen within microseconds, an idle one costs
 * close to no CPU.
 *
 * <p>Why a time-based yield window: on Linux even a 1 µs {@code parkNanos} sleeps about 50–60 µs (the
 * thread's timer slack), so a waiter that parks after a few microseconds adds that much to every
 * sparse round trip. Yielding instead keeps the waiter responsive without holding the core: on a
 * machine with few cores, {@link Thread#yield()} hands the core to the thread that will produce the
 * work, where a spin would steal it; so the spin phase is kept to a handful of iterations.
 *
 * <p>The window is counted from the first {@link #idle(int) idle(0)} after work (or {@link #reset()}),
 * so the steady idle cost is one park of {@code maxParkNanos} per wake-up, whatever the window.
 * Not thread-safe: one instance per waiting thread.
 */
public final class BackoffIdleStrategy implements IdleStrategy {

    /** Default number of busy spins before yielding. */
    public static final int DEFAULT_MAX_SPINS = 100;

    /** Default least number of yields before parking (even when the yield window is zero). */
    public static final int DEFAULT_MAX_YIELDS = 20;

    /** Default time to keep yielding after the last work before parking: 100 µs. */
    public static final long DEFAULT_YIELD_WINDOW_NANOS = 100_000;

    /** Default first park: 1 µs. */
    public static final long DEFAULT_MIN_PARK_NANOS = 1_000;

    /** Default longest park: 1 ms. */
    public static final long DEFAULT_MAX_PARK_NANOS = 1_000_000;

    private final int maxSpins;
    private final int maxYields;
    private final long yieldWindowNanos;
    private final long minParkNanos;
    private final long maxParkNanos;

    private int spins;
    private int yields;
    /** {@link System#nanoTime()} of the first yield since the last work; read only while yielding. */
    private long yieldStart;
    private long parkNanos;

    /** With the defaults: 100 spins, yields for 100 µs (at least 20), parks from 1 µs doubling up to 1 ms. */
    public BackoffIdleStrategy() {
        this(DEFAULT_MAX_SPINS, DEFAULT_MAX_YIELDS, DEFAULT_YIELD_WINDOW_NANOS, DEFAULT_MIN_PARK_NANOS,
                DEFAULT_MAX_PARK_NANOS);
    }

    /**
     * Count-based backoff, without a yield window.
     *
     * @param maxSpins busy spins before yielding, {@code >= 0}
     * @param maxYields yields before parking, {@code >= 0}
     * @param minParkNanos first park, {@code > 0}
     * @param maxParkNanos longest park, {@code >= minParkNanos}
     */
    public BackoffIdleStrategy(int maxSpins, int maxYields, long minParkNanos, long maxParkNanos) {
        this(maxSpins, maxYields, 0, minParkNanos, maxParkNanos);
    }

    /**
     * @param maxSpins busy spins before yielding, {@code >= 0}
     * @param maxYields least number of yields before parking, {@code >= 0}
     * @param yieldWindowNanos how long to keep yielding (after the spins) before parking, {@code >= 0}
     * @param minParkNanos first park, {@code > 0}
     * @param maxParkNanos longest park, {@code >= minParkNanos}
     */
    public BackoffIdleStrategy(int maxSpins, int maxYields, long yieldWindowNanos, long minParkNanos, long maxParkNanos) {
        if (maxSpins < 0 || maxYields < 0) {
            throw new IllegalArgumentException("maxSpins=" + maxSpins + " and maxYields=" + maxYields + " must be >= 0");
        }
        if (yieldWindowNanos < 0) {
            throw new IllegalArgumentException("yieldWindowNanos=" + yieldWindowNanos + " must be >= 0");
        }
        if (minParkNanos <= 0 || maxParkNanos < minParkNanos) {
            throw new IllegalArgumentException("minParkNanos=" + minParkNanos + " must be > 0 and maxParkNanos="
                    + maxParkNanos + " must be >= minParkNanos");
        }
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
        this.yieldWindowNanos = yieldWindowNanos;
        this.minParkNanos = minParkNanos;
        this.maxParkNanos = maxParkNanos;
        this.parkNanos = minParkNanos;
    }

    /** The defaults with another longest park. */
    public static BackoffIdleStrategy withMaxPark(Duration maxPark) {
        long max = maxPark.toNanos();
        return new BackoffIdleStrategy(DEFAULT_MAX_SPINS, DEFAULT_MAX_YIELDS, DEFAULT_YIELD_WINDOW_NANOS,
                Math.min(DEFAULT_MIN_PARK_NANOS, max), max);
    }

    /** The defaults with another yield window ({@link Duration#ZERO}: park after the minimum yields). */
    public static BackoffIdleStrategy withYieldWindow(Duration yieldWindow) {
        return new BackoffIdleStrategy(DEFAULT_MAX_SPINS, DEFAULT_MAX_YIELDS, yieldWindow.toNanos(),
                DEFAULT_MIN_PARK_NANOS, DEFAULT_MAX_PARK_NANOS);
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
        else if (stillYielding()) {
            Thread.yield();
        }
        else {
            LockSupport.parkNanos(parkNanos);
            parkNanos = Math.min(parkNanos << 1, maxParkNanos);
        }
    }

    private boolean stillYielding() {
        if (yields == 0) {
            yieldStart = System.nanoTime();
        }
        if (yields < maxYields) {
            yields++;
            return true;
        }
        if (yieldWindowNanos > 0 && System.nanoTime() - yieldStart < yieldWindowNanos) {
            yields++;
            return true;
        }
        return false;
    }

    @Override
    public void reset() {
        spins = 0;
        yields = 0;
        parkNanos = minParkNanos;
    }

    @Override
    public String toString() {
        return "BackoffIdleStrategy[maxSpins=" + maxSpins + ", maxYields=" + maxYields + ", yieldWindowNanos="
                + yieldWindowNanos + ", minParkNanos=" + minParkNanos + ", maxParkNanos=" + maxParkNanos + "]";
    }
}
