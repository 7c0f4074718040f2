package io.rapace.transport.shm;

import java.util.concurrent.TimeUnit;

/**
 * How many lines a repeated peer defect may log: {@link #BURST} lines per {@link #WINDOW_NANOS}, then
 * nothing until the window ends; the first line of the next window says how many were left out. A hostile
 * or broken peer thus cannot flood the log. Single-threaded (the consumer thread); allocates nothing.
 */
final class DefectLogBudget {

    /** Lines logged per window, the last of them saying that further defects are only counted. */
    static final int BURST = 10;

    /** Length of one window: one minute. */
    static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** {@link #admit}'s answer for a defect that is counted but not logged. */
    static final long SILENT = -1;

    private boolean started;
    private long windowStart;
    private int logged;
    private long unlogged;

    /**
     * Accounts for one defect at {@code now}: {@link #SILENT} when it must not be logged, else the number
     * of defects left out of the log since the previous line (0 usually).
     */
    long admit(long now) {
        if (!started || now - windowStart >= WINDOW_NANOS) {
            started = true;
            windowStart = now;
            logged = 0;
        }
        if (logged >= BURST) {
            unlogged++;
            return SILENT;
        }
        logged++;
        long left = unlogged;
        unlogged = 0;
        return left;
    }

    /** Whether the line just admitted is the last of its window. */
    boolean exhausted() {
        return logged >= BURST;
    }
}
