package io.rapace.transport.shm;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Writes this side's heartbeat ({@code last_seen} = wall-clock ns, {@code epoch + 1}) from a daemon
 * thread every interval, and opportunistically from senders.
 */
final class Heartbeat {

    /** A send writes the heartbeat only when the last one is at least this old: keeps sends cheap. */
    private static final long SEND_BEAT_MIN_AGE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private static final System.Logger LOG = System.getLogger(Heartbeat.class.getName());

    private final SegmentHeaderView header;
    private final PeerRole role;
    private final long intervalNanos;
    private final Thread thread;
    /** {@link System#nanoTime()} of the last beat, also the lock that elects one writer at a time. */
    private final AtomicLong lastBeatNanoTime = new AtomicLong();
    private volatile boolean running = true;
    /** Test seam: while true, nothing is written (the process looks stopped to the peer). */
    private volatile boolean paused;
    /** Test seam: the wall clock written into {@code last_seen}; {@link WallClock#nowNanos()} normally. */
    private volatile LongSupplier wallClock = WallClock::nowNanos;

    Heartbeat(SegmentHeaderView header, PeerRole role, long intervalNanos, String name) {
        this.header = header;
        this.role = role;
        this.intervalNanos = intervalNanos;
        this.thread = Thread.ofPlatform().daemon().name(name).unstarted(this::run);
    }

    /** Beats once now, then starts the thread. */
    void start() {
        beatNow();
        thread.start();
    }

    /** Called on send with its {@link System#nanoTime()}: beats unless a beat was written in the last 10 ms. */
    void beatIfStale(long now) {
        long last = lastBeatNanoTime.get();
        // CAS: of many concurrent senders, only one writes the heartbeat.
        if (now - last >= SEND_BEAT_MIN_AGE_NANOS && lastBeatNanoTime.compareAndSet(last, now) && !paused) {
            header.beat(role, wallClock.getAsLong());
        }
    }

    /** Stops the thread and waits until it no longer touches the segment. */
    void stop() {
        running = false;
        LockSupport.unpark(thread);
        if (thread == Thread.currentThread()) {
            return;
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            }
            catch (InterruptedException ex) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Test seam: stops (true) or resumes (false) writing the heartbeat, as a stopped process would. */
    void pause(boolean value) {
        paused = value;
    }

    /** Test seam: the wall clock whose readings become {@code last_seen}. */
    void wallClock(LongSupplier clock) {
        wallClock = clock;
    }

    private void beatNow() {
        lastBeatNanoTime.set(System.nanoTime());
        if (!paused) {
            header.beat(role, wallClock.getAsLong());
        }
    }

    private void run() {
        try {
            while (running) {
                long sinceLast = System.nanoTime() - lastBeatNanoTime.get();
                if (sinceLast >= intervalNanos) {
                    beatNow();
                    LockSupport.parkNanos(intervalNanos);
                }
                else {
                    LockSupport.parkNanos(intervalNanos - sinceLast);
                }
            }
        }
        catch (IllegalStateException ex) {
            // The mapping was closed under us: only possible while stopping.
            if (running) {
                LOG.log(System.Logger.Level.WARNING, "heartbeat stopped: {0}", ex.toString());
            }
        }
    }
}
