package io.rapace.transport.shm;

import java.util.Arrays;
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
 */
final class Heartbeats {

    /** The logger, made at this class's first log line: a process that logs nothing never sets up the JDK's logging. */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(Heartbeats.class.getName());
    }

    private static final Heartbeats SHARED = new Heartbeats("rapace-shm-heartbeat");

    private final String threadName;

    /** The registered heartbeats; replaced (copy on write) under this object's monitor, read by the thread. */
    private volatile Heartbeat[] beating = new Heartbeat[0];

    /** The beating thread, started at the first registration; under this object's monitor. */
    private @Nullable Thread thread;

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
    }

    /** Stops beating {@code heartbeat} (a beat in progress ends first: see {@link Heartbeat#stop()}). */
    synchronized void remove(Heartbeat heartbeat) {
        Heartbeat[] now = this.beating;
        for (int i = 0; i < now.length; i++) {
            if (now[i] == heartbeat) {
                Heartbeat[] fewer = new Heartbeat[now.length - 1];
                System.arraycopy(now, 0, fewer, 0, i);
                System.arraycopy(now, i + 1, fewer, i, now.length - i - 1);
                this.beating = fewer;
                return;
            }
        }
    }

    /** Heartbeats registered now (for tests). */
    int size() {
        return this.beating.length;
    }

    /** The beating thread, or null before the first registration (for tests). */
    synchronized @Nullable Thread thread() {
        return this.thread;
    }

    private void run() {
        while (true) {
            long now = System.nanoTime();
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
            if (wait == Long.MAX_VALUE) {
                LockSupport.park(this);  // until a heartbeat is added
            }
            else {
                long left = wait - (System.nanoTime() - now);
                if (left > 0) {
                    LockSupport.parkNanos(this, left);
                }
            }
        }
    }
}
