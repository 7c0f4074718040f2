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
 * so it costs nothing while idle. Parks double up to {@code maxParkNanos} (1 ms); when idling goes on,
 * they grow further, never beyond 1/64 of the time idled so far, up to {@code longIdleMaxParkNanos}
 * (4 ms after 256 ms of idle): a sparse exchange (gaps of tens of ms) waits as before, a long idle costs
 * a quarter of the wake-ups, and the first frame after it waits at most one long park.
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

    /** Default longest park while the idle time is short: 1 ms. */
    public static final long DEFAULT_MAX_PARK_NANOS = 1_000_000;

    /**
     * Default longest park after a long idle: 4 ms, reached after 256 ms of idling (a park never exceeds
     * 1/64 of the time idled so far). Chosen from the measured curve in {@code docs/transport.md}: idle CPU
     * under 1% of a core while the first frame after a long idle is seen within about 4 ms.
     */
    public static final long DEFAULT_LONG_IDLE_MAX_PARK_NANOS = 4_000_000;

    private final int maxSpins;
    private final int maxYields;
    private final long yieldWindowNanos;
    private final long minParkNanos;
    private final long maxParkNanos;
    private final long longIdleMaxParkNanos;

    private int spins;
    private int yields;
    /** {@link System#nanoTime()} of the first yield since the last work: when idling began. */
    private long yieldStart;
    /** Past the spin and yield phases: the next {@code idle(0)} parks. */
    private boolean parking;
    private long parkNanos;

    /**
     * With the defaults: 100 spins, yields for 100 µs (at least 20), parks from 1 µs doubling up to 1 ms,
     * and after a long idle up to 4 ms (see {@link #DEFAULT_LONG_IDLE_MAX_PARK_NANOS}).
     */
    public BackoffIdleStrategy() {
        this(DEFAULT_MAX_SPINS, DEFAULT_MAX_YIELDS, DEFAULT_YIELD_WINDOW_NANOS, DEFAULT_MIN_PARK_NANOS,
                DEFAULT_MAX_PARK_NANOS, DEFAULT_LONG_IDLE_MAX_PARK_NANOS);
    }

    /**
     * Count-based backoff, without a yield window or long-idle escalation.
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
     * Without long-idle escalation: parks never exceed {@code maxParkNanos}.
     *
     * @param maxSpins busy spins before yielding, {@code >= 0}
     * @param maxYields least number of yields before parking, {@code >= 0}
     * @param yieldWindowNanos how long to keep yielding (after the spins) before parking, {@code >= 0}
     * @param minParkNanos first park, {@code > 0}
     * @param maxParkNanos longest park, {@code >= minParkNanos}
     */
    public BackoffIdleStrategy(int maxSpins, int maxYields, long yieldWindowNanos, long minParkNanos, long maxParkNanos) {
        this(maxSpins, maxYields, yieldWindowNanos, minParkNanos, maxParkNanos, maxParkNanos);
    }

    /**
     * @param maxSpins busy spins before yielding, {@code >= 0}
     * @param maxYields least number of yields before parking, {@code >= 0}
     * @param yieldWindowNanos how long to keep yielding (after the spins) before parking, {@code >= 0}
     * @param minParkNanos first park, {@code > 0}
     * @param maxParkNanos longest park while the idle time is short, {@code >= minParkNanos}
     * @param longIdleMaxParkNanos longest park after a long idle, {@code >= maxParkNanos}: a park may grow
     *     beyond {@code maxParkNanos} up to this, but never beyond 1/64 of the time idled so far
     */
    public BackoffIdleStrategy(int maxSpins, int maxYields, long yieldWindowNanos, long minParkNanos, long maxParkNanos,
            long longIdleMaxParkNanos) {
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
        if (longIdleMaxParkNanos < maxParkNanos) {
            throw new IllegalArgumentException("longIdleMaxParkNanos=" + longIdleMaxParkNanos
                    + " must be >= maxParkNanos=" + maxParkNanos);
        }
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
        this.yieldWindowNanos = yieldWindowNanos;
        this.minParkNanos = minParkNanos;
        this.maxParkNanos = maxParkNanos;
        this.longIdleMaxParkNanos = longIdleMaxParkNanos;
        this.parkNanos = minParkNanos;
    }

    /** The defaults with another longest park, and no escalation beyond it. */
    public static BackoffIdleStrategy withMaxPark(Duration maxPark) {
        long max = maxPark.toNanos();
        return new BackoffIdleStrategy(DEFAULT_MAX_SPINS, DEFAULT_MAX_YIELDS, DEFAULT_YIELD_WINDOW_NANOS,
                Math.min(DEFAULT_MIN_PARK_NANOS, max), max, max);
    }

    /**
     * The defaults with another longest park after a long idle ({@code >= 1 ms}); {@code 1 ms} turns the
     * escalation off.
     */
    public static BackoffIdleStrategy withLongIdleMaxPark(Duration longIdleMaxPark) {
        return new BackoffIdleStrategy(DEFAULT_MAX_SPINS, DEFAULT_MAX_YIELDS, DEFAULT_YIELD_WINDOW_NANOS,
                DEFAULT_MIN_PARK_NANOS, DEFAULT_MAX_PARK_NANOS, longIdleMaxPark.toNanos());
    }

    /** The defaults with another yield window ({@link Duration#ZERO}: park after the minimum yields). */
    public static BackoffIdleStrategy withYieldWindow(Duration yieldWindow) {
        return new BackoffIdleStrategy(DEFAULT_MAX_SPINS, DEFAULT_MAX_YIELDS, yieldWindow.toNanos(),
                DEFAULT_MIN_PARK_NANOS, DEFAULT_MAX_PARK_NANOS, DEFAULT_LONG_IDLE_MAX_PARK_NANOS);
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
        else if (!parking && stillYielding()) {
            Thread.yield();
        }
        else {
            parking = true;
            LockSupport.parkNanos(parkNanos);
            parkNanos = nextPark();
        }
    }

    /** Doubles up to {@code maxParkNanos}; beyond it, up to 1/64 of the idle time, capped at the long-idle maximum. */
    private long nextPark() {
        long doubled = parkNanos << 1;
        if (doubled <= maxParkNanos || longIdleMaxParkNanos == maxParkNanos) {
            return Math.min(doubled, maxParkNanos);
        }
        if (parkNanos == longIdleMaxParkNanos) {
            return parkNanos;  // at the longest already: no clock read (each idle wake-up's own work is its cost)
        }
        long idleNanos = System.nanoTime() - yieldStart;
        return Math.clamp(Math.min(doubled, idleNanos >> 6), maxParkNanos, longIdleMaxParkNanos);
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

    /** True once the spin and yield phases are over: the next {@code idle(0)} parks. */
    @Override
    public boolean isParking() {
        return parking;
    }

    /** The next park's length (for tests). */
    long currentParkNanos() {
        return parkNanos;
    }

    @Override
    public void reset() {
        spins = 0;
        yields = 0;
        parking = false;
        parkNanos = minParkNanos;
    }

    @Override
    public String toString() {
        return "BackoffIdleStrategy[maxSpins=" + maxSpins + ", maxYields=" + maxYields + ", yieldWindowNanos="
                + yieldWindowNanos + ", minParkNanos=" + minParkNanos + ", maxParkNanos=" + maxParkNanos
                + ", longIdleMaxParkNanos=" + longIdleMaxParkNanos + "]";
    }
}
