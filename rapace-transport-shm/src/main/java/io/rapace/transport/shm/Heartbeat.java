package io.rapace.transport.shm;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Writes this side's heartbeat ({@code last_seen} = wall-clock ns, {@code epoch + 1}) every interval, from the JVM's
 * one heartbeat thread ({@link Heartbeats}), and opportunistically from senders. At each of that thread's turns it
 * also runs the transport's look at a receive asleep in the kernel ({@link SleepWatch}), under the same monitor.
 */
final class Heartbeat {

    /** {@link #beatIfDue}'s answer for a heartbeat that was stopped. */
    static final long STOPPED = Long.MIN_VALUE;

    /** A send writes the heartbeat only when the last one is at least this old: keeps sends cheap. */
    private static final long SEND_BEAT_MIN_AGE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final SegmentHeaderView header;
    private final PeerRole role;
    private final long intervalNanos;
    private final String name;
    private final Heartbeats beater;
    /** Run at each of the heartbeat thread's turns while running, under this object's monitor ({@link SleepWatch}). */
    private final Runnable watch;
    /** Beat follow: a host wakes its plugin's heartbeat after its timed beats, a plugin sleeps until then. */
    private final BeatFollow follow;
    /** {@link System#nanoTime()} of the last beat, also the lock that elects one writer at a time among senders. */
    private final AtomicLong lastBeatNanoTime = new AtomicLong();
    /** Whether the heartbeat thread beats it; written under this object's monitor, which every timed beat holds. */
    private boolean running;
    /** A timed beat of the heartbeat thread's current round is still to wake a following plugin; under the monitor. */
    private boolean followerWakePending;
    /** Test seam: while true, nothing is written (the process looks stopped to the peer). */
    private volatile boolean paused;
    /** Test seam: the wall clock written into {@code last_seen}; {@link WallClock#nowNanos()} normally. */
    private volatile LongSupplier wallClock = WallClock::nowNanos;

    /**
     * Beaten by the JVM's heartbeat thread, which runs {@code watch} at each of its turns, waking or following the
     * peer's heartbeat as {@code follow} says.
     */
    Heartbeat(SegmentHeaderView header, PeerRole role, long intervalNanos, String name, Runnable watch,
            BeatFollow follow) {
        this(header, role, intervalNanos, name, Heartbeats.shared(), watch, follow);
    }

    /** With the thread that beats it and no watch (tests, {@link HeartbeatWarmUp}). */
    Heartbeat(SegmentHeaderView header, PeerRole role, long intervalNanos, String name, Heartbeats beater) {
        this(header, role, intervalNanos, name, beater, () -> { }, BeatFollow.NONE);
    }

    /** With the thread that beats it, the watch it runs at that thread's turns and its beat follow (tests). */
    Heartbeat(SegmentHeaderView header, PeerRole role, long intervalNanos, String name, Heartbeats beater,
            Runnable watch, BeatFollow follow) {
        this.header = header;
        this.role = role;
        this.intervalNanos = intervalNanos;
        this.name = name;
        this.beater = beater;
        this.watch = watch;
        this.follow = follow;
    }

    /** Beats once now, then hands the heartbeat to the heartbeat thread. */
    void start() {
        synchronized (this) {
            beatNow();
            this.running = true;
        }
        this.beater.add(this);
    }

    /** Called on send with its {@link System#nanoTime()}: beats unless a beat was written in the last 10 ms. */
    void beatIfStale(long now) {
        long last = lastBeatNanoTime.get();
        // CAS: of many concurrent senders, only one writes the heartbeat.
        if (now - last >= SEND_BEAT_MIN_AGE_NANOS && lastBeatNanoTime.compareAndSet(last, now) && !paused) {
            header.beat(role, wallClock.getAsLong());
        }
    }

    /**
     * By the heartbeat thread at {@code now}: runs the watch, beats when the last beat is at least half the interval
     * old (so that heartbeats of one interval beat together), and returns when the next beat is due, or
     * {@link #STOPPED}. A host's beat here wakes a following plugin's heartbeat at the end of the round
     * ({@link #wakeFollowerIfPending}); a following plugin's next beat is due at its backstop
     * ({@link BeatFollow#backstopNanos}), the host's wake-up normally coming first.
     */
    synchronized long beatIfDue(long now) {
        if (!this.running) {
            return STOPPED;
        }
        this.watch.run();
        long last = lastBeatNanoTime.get();
        long next = this.follow.follows() ? BeatFollow.backstopNanos(this.intervalNanos) : this.intervalNanos;
        if (now - last >= this.intervalNanos >> 1) {
            beatNow();
            this.followerWakePending = !this.paused;
            return now + next;
        }
        return last + next;
    }

    /**
     * By the heartbeat thread, last before it sleeps: after a timed beat of this round, wakes a following plugin's
     * heartbeat ({@link BeatFollow#afterTimedBeat}). Last, so that the woken thread, which the kernel usually puts on
     * this thread's processor, does not preempt a round still under way.
     */
    synchronized void wakeFollowerIfPending() {
        if (this.running && this.followerWakePending) {
            this.followerWakePending = false;
            this.follow.afterTimedBeat(this.header);
        }
    }

    /** The interval between timed beats. */
    long intervalNanos() {
        return this.intervalNanos;
    }

    /** The beat follow of this heartbeat's segment: the heartbeat thread sleeps on its word while it follows. */
    BeatFollow follow() {
        return this.follow;
    }

    /**
     * Beats {@code beats} times through {@link #beatIfDue}, as the heartbeat thread would over that many intervals, on
     * this heartbeat's header: for {@link HeartbeatWarmUp}, on a private one. Never registered with a heartbeat thread.
     */
    void practise(int beats) {
        synchronized (this) {
            this.running = true;
        }
        long now = System.nanoTime();
        for (int i = 0; i < beats; i++) {
            now += this.intervalNanos;
            beatIfDue(now);
        }
    }

    /** Stops the timed beats; once this returns the heartbeat thread no longer touches the segment for it. */
    void stop() {
        synchronized (this) {
            this.running = false;  // a beat in progress holds the monitor: it has ended by now
        }
        this.beater.remove(this);
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

    @Override
    public String toString() {
        return this.name;
    }
}
