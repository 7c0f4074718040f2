package io.rapace.transport.shm;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * The one daemon thread that beats the heartbeats of every open transport of this JVM ({@link Heartbeat}). Each wake-up
 * of an idle thread costs tens to hundreds of µs of CPU on a VM, so a host with fifteen plugins would pay fifteen
 * heartbeat threads' wake-ups, each beating at its own moment; this thread wakes when the earliest heartbeat is due
 * and beats every one due within half its interval then, so that heartbeats of the same interval beat together from
 * their second beat on (a beat may come up to half an interval early: the spec asks for at least one every 500 ms,
 * never for fewer). With no heartbeat registered it parks until one is. Registering and leaving copy the array of
 * heartbeats; a round allocates nothing.
 *
 * <p>When one of the heartbeats follows its host's (a plugin's, {@link BeatFollow}), the thread sleeps between rounds
 * in {@code FUTEX_WAIT} on that segment's {@code beat_seq} instead of parking, so that the host's timed beat wakes it
 * (its own timer is the backstop); a heartbeat added or removed meanwhile ends that sleep by a {@link BeatFollow#nudge}.
 */
final class Heartbeats {

    /** The logger, made at this class's first log line: a process that logs nothing never sets up the JDK's logging. */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(Heartbeats.class.getName());
    }

    private static final Heartbeats SHARED = new Heartbeats("rapace-shm-heartbeat");

    /** Longest wait of {@link #remove} for the thread to leave a sleep on the removed heartbeat's {@code beat_seq}. */
    private static final long LEAVE_SLEEP_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** {@link #remove}'s pause between two looks at whether the thread left that sleep. */
    private static final long LEAVE_SLEEP_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    private final String threadName;

    /** The registered heartbeats; replaced (copy on write) under this object's monitor, read by the thread. */
    private volatile Heartbeat[] beating = new Heartbeat[0];

    /** The beating thread, started at the first registration; under this object's monitor. */
    private @Nullable Thread thread;

    /**
     * The heartbeat whose {@code beat_seq} the thread sleeps on (or is about to), else null: written by the thread,
     * read by {@link #add} and {@link #remove} to end that sleep.
     */
    private volatile @Nullable Heartbeat following;

    /** The thread's futex buffers, made at its first sleep on a {@code beat_seq}; the thread's only. */
    private @Nullable Futex futex;

    /** The thread's rounds (for tests); lazySet: the thread alone writes it. */
    private final AtomicLong rounds = new AtomicLong();

    /** The thread's sleeps on a {@code beat_seq} (for tests); lazySet: the thread alone writes it. */
    private final AtomicLong followSleeps = new AtomicLong();

    Heartbeats(String threadName) {
        this.threadName = threadName;
    }

    /** The JVM's heartbeat thread. */
    static Heartbeats shared() {
        return SHARED;
    }

    /** Beats {@code heartbeat} from now on, at its interval. */
    void add(Heartbeat heartbeat) {
        Thread beater;
        synchronized (this) {
            Heartbeat[] now = this.beating;
            Heartbeat[] more = Arrays.copyOf(now, now.length + 1);
            more[now.length] = heartbeat;
            this.beating = more;
            beater = this.thread;
            if (beater == null) {
                beater = Thread.ofPlatform().daemon().name(this.threadName).unstarted(this::run);
                this.thread = beater;
                beater.start();
                return;
            }
        }
        LockSupport.unpark(beater);  // its next due time may be earlier than the one the thread sleeps until
        nudgeFollowing();
    }

    /**
     * Stops beating {@code heartbeat} (a beat in progress ends first: see {@link Heartbeat#stop()}). Once this returns
     * the thread no longer sleeps on that heartbeat's {@code beat_seq}, so its segment may be unmapped: a sleep there
     * is ended ({@link BeatFollow#nudge}) and waited for, up to {@link #LEAVE_SLEEP_NANOS}.
     */
    void remove(Heartbeat heartbeat) {
        if (!unregister(heartbeat)) {
            return;
        }
        // After the array's volatile store: a thread that read beat_seq before this nudge and then still found the
        // heartbeat registered sleeps on a word this nudge changes (sleepOnBeatSeq).
        nudgeFollowing();
        if (Thread.currentThread() == thread()) {
            return;  // the thread itself, dropping a heartbeat that failed: it sleeps nowhere now
        }
        long deadline = System.nanoTime() + LEAVE_SLEEP_NANOS;
        while (this.following == heartbeat && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(LEAVE_SLEEP_POLL_NANOS);
        }
    }

    private synchronized boolean unregister(Heartbeat heartbeat) {
        Heartbeat[] now = this.beating;
        for (int i = 0; i < now.length; i++) {
            if (now[i] == heartbeat) {
                Heartbeat[] fewer = new Heartbeat[now.length - 1];
                System.arraycopy(now, 0, fewer, 0, i);
                System.arraycopy(now, i + 1, fewer, i, now.length - i - 1);
                this.beating = fewer;
                return true;
            }
        }
        return false;
    }

    /** Heartbeats registered now (for tests). */
    int size() {
        return this.beating.length;
    }

    /** Rounds the thread made (for tests). */
    long rounds() {
        return this.rounds.get();
    }

    /** Sleeps of the thread on a {@code beat_seq} (for tests). */
    long followSleeps() {
        return this.followSleeps.get();
    }

    /** The beating thread, or null before the first registration (for tests). */
    synchronized @Nullable Thread thread() {
        return this.thread;
    }

    private void run() {
        long previousRound = System.nanoTime();
        boolean wokenEarly = false;  // the last sleep on a beat_seq ended by a wake or a changed word, not its timeout
        while (true) {
            long now = System.nanoTime();
            long sincePrevious = now - previousRound;
            previousRound = now;
            this.rounds.lazySet(this.rounds.get() + 1);
            long wait = Long.MAX_VALUE;  // until the earliest heartbeat is due; MAX_VALUE: none registered
            for (Heartbeat heartbeat : this.beating) {
                long due;
                try {
                    due = heartbeat.beatIfDue(now);
                }
                catch (RuntimeException ex) {
                    // Never lose the thread (every transport's heartbeat depends on it): drop the one that failed.
                    Log.LOG.log(System.Logger.Level.WARNING, "heartbeat " + heartbeat + " failed and stops", ex);
                    remove(heartbeat);
                    continue;
                }
                if (due != Heartbeat.STOPPED) {
                    wait = Math.min(wait, due - now);
                }
            }
            wakeFollowers();
            if (wait == Long.MAX_VALUE) {
                LockSupport.park(this);  // until a heartbeat is added
            }
            else {
                // The heartbeat to follow; sleepOnBeatSeq reads its beat_seq just before the sleep.
                Heartbeat follow = followed(this.beating);
                if (follow != null && wokenEarly && sincePrevious < follow.intervalNanos() >> 2) {
                    // Woken twice within a quarter interval: a host (buggy or hostile) that bumps beat_seq more often
                    // than it beats, or nudges. Its own timer alone for this sleep: a few rounds per interval at most.
                    follow = null;
                }
                long left = wait - (System.nanoTime() - now);
                int slept = left > 0 && follow != null ? sleepOnBeatSeq(follow, left) : Futex.FAILED;
                wokenEarly = slept == Futex.WOKEN || slept == Futex.MISMATCH;
                if (left > 0 && slept == Futex.FAILED) {
                    LockSupport.parkNanos(this, left);
                }
            }
        }
    }

    /** Wakes the plugins that follow the heartbeats this round beat (a host's), last before the thread sleeps. */
    private void wakeFollowers() {
        for (Heartbeat heartbeat : this.beating) {
            try {
                heartbeat.wakeFollowerIfPending();
            }
            catch (RuntimeException ex) {
                // Never lose the thread; the plugin's own timer beats anyway (its backstop).
                Log.LOG.log(System.Logger.Level.WARNING, "waking the heartbeat that follows " + heartbeat + " failed", ex);
            }
        }
    }

    /** The first registered heartbeat that follows its host's, or null. */
    private static @Nullable Heartbeat followed(Heartbeat[] heartbeats) {
        for (Heartbeat heartbeat : heartbeats) {
            if (heartbeat.follow().follows()) {
                return heartbeat;
            }
        }
        return null;
    }

    /**
     * Sleeps in {@code FUTEX_WAIT} on {@code follow}'s {@code beat_seq}, read here after the round (so that a host beat
     * of this same JVM in the round does not end the sleep at once), for at most {@code nanos}: until the host's next
     * timed beat, a {@link BeatFollow#nudge}, or the timeout. Returns how the sleep ended ({@link Futex#WOKEN},
     * {@link Futex#MISMATCH}, ...), {@link Futex#FAILED} when it could not sleep there (the heartbeat was removed, its
     * segment unmapped, the call failed): the caller parks instead.
     */
    private int sleepOnBeatSeq(Heartbeat follow, long nanos) {
        try {
            // beat_seq before the volatile store below: a nudge that finds this thread following comes after this read.
            int seq = follow.follow().seq();
            this.following = follow;  // then the array's volatile read: pairs with remove's store, then its nudge
            if (!registered(this.beating, follow)) {
                return Futex.FAILED;
            }
            Futex buffers = this.futex;
            if (buffers == null) {
                buffers = new Futex();
                this.futex = buffers;
            }
            this.followSleeps.lazySet(this.followSleeps.get() + 1);
            return buffers.await(follow.follow().word(), seq, nanos);
        }
        catch (IllegalStateException closed) {
            return Futex.FAILED;  // the segment was unmapped since the round: the heartbeat is being removed
        }
        finally {
            this.following = null;
        }
    }

    private static boolean registered(Heartbeat[] heartbeats, Heartbeat heartbeat) {
        for (Heartbeat registered : heartbeats) {
            if (registered == heartbeat) {
                return true;
            }
        }
        return false;
    }

    /** Ends the thread's sleep on a {@code beat_seq}, if it sleeps there (or is about to). */
    private void nudgeFollowing() {
        Heartbeat follow = this.following;
        if (follow == null) {
            return;
        }
        try {
            follow.follow().nudge();
        }
        catch (IllegalStateException closed) {
            // its segment is unmapped: the thread's sleep there has ended or fails at once
        }
    }
}
