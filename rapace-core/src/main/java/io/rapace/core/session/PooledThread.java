package io.rapace.core.session;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * One platform thread of {@link HandlerThreads} and the place where it waits for its next task. Its state says
 * who may touch it: {@code WAITING} (any thread may claim it, with one compare-and-set), {@code CLAIMED} (the
 * claiming thread writes the task), {@code RUNNING} (its own thread runs a task), {@code ENDED} (nobody: it ended, or
 * will without running anything more). Claiming, handing the task over and waking allocate nothing.
 */
final class PooledThread implements Runnable {

    /** Turns of {@link Thread#onSpinWait()} before parking, as many as a {@code SynchronousQueue}'s waiter spins. */
    static final int SPINS = 1 << 7;

    private static final int WAITING = 0;

    private static final int CLAIMED = 1;

    private static final int RUNNING = 2;

    private static final int ENDED = 3;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(PooledThread.class, "state", int.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final HandlerThreads pool;

    private final int place;

    private final Thread thread;

    /** See the class comment; changed by compare-and-set from WAITING, by plain volatile writes otherwise. */
    @SuppressWarnings("unused")
    private volatile int state = RUNNING;

    /**
     * The task to run next, written by the thread that claimed this one and read by this thread. Volatile: its write
     * and this thread's read of {@link #parked} pair with this thread's write of parked and read of the task (each
     * side writes, then reads the other's field, so at least one sees the other: no wake-up is lost).
     */
    private volatile @Nullable Runnable task;

    /** Set by this thread before it parks, read by the claiming thread after it wrote the task; see {@link #task}. */
    private volatile boolean parked;

    PooledThread(HandlerThreads pool, int place, Runnable first, String name) {
        this.pool = pool;
        this.place = place;
        this.task = first;
        this.thread = Thread.ofPlatform().daemon(true).name(name).unstarted(this);
    }

    int place() {
        return this.place;
    }

    void start() {
        this.thread.start();
    }

    void interrupt() {
        this.thread.interrupt();
    }

    boolean isWaiting() {
        return this.state == WAITING;
    }

    boolean isParked() {
        return this.parked;
    }

    /**
     * Gives {@code next} to this thread if it waits (true); false when it is busy or ended. Called by any thread; the
     * compare-and-set makes one of them the only writer of {@link #task}.
     */
    boolean offer(Runnable next) {
        if (!STATE.compareAndSet(this, WAITING, CLAIMED)) {
            return false;
        }
        this.task = next;
        if (this.parked) {
            LockSupport.unpark(this.thread);
        }
        return true;
    }

    /** Ends this thread if it waits (the pool shuts down); a busy one ends after its task. */
    void endIfWaiting() {
        if (STATE.compareAndSet(this, WAITING, ENDED)) {
            LockSupport.unpark(this.thread);
        }
    }

    @Override
    public void run() {
        try {
            Runnable next = this.task;
            this.task = null;
            while (next != null) {
                next.run();
                next = awaitTask();
            }
        }
        finally {
            this.state = ENDED;
            this.pool.ended(this);
        }
    }

    /**
     * Waits for the next task: spins for a moment, then parks until one is offered, the pool shuts down or its
     * keep-alive passes ({@link HandlerThreads#KEEP_ALIVE_SECONDS} by default); null when this thread is to end.
     */
    private @Nullable Runnable awaitTask() {
        Thread.interrupted();  // an interrupt left by a handler is not the next handler's
        if (this.pool.isShutdown()) {
            return null;
        }
        this.state = WAITING;
        // A shutdown that looked at this thread before it waited ended nobody: look again now that it waits.
        if (this.pool.isShutdown() && STATE.compareAndSet(this, WAITING, ENDED)) {
            return null;
        }
        for (int i = 0; i < SPINS; i++) {
            Runnable next = this.task;
            if (next != null) {
                return take(next);
            }
            Thread.onSpinWait();
        }
        long deadline = System.nanoTime() + this.pool.keepAliveNanos();
        this.parked = true;
        try {
            while (true) {
                Runnable next = this.task;
                if (next != null) {
                    return take(next);
                }
                if (this.state == ENDED) {
                    return null;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 && STATE.compareAndSet(this, WAITING, ENDED)) {
                    return null;
                }
                // Until offered or the deadline; claimed after the deadline, its task is a moment away: 10 µs turns.
                LockSupport.parkNanos(this, Math.max(left, TimeUnit.MICROSECONDS.toNanos(10)));
                // An interrupt would make every later park return at once; a shutdown ends the wait through the state.
                Thread.interrupted();
            }
        }
        finally {
            this.parked = false;
        }
    }

    /** The offered task, now this thread's: the place is cleared for the next offer, which only a wait can take. */
    private Runnable take(Runnable next) {
        this.task = null;
        this.state = RUNNING;
        return next;
    }

    @Override
    public String toString() {
        return this.thread.getName();
    }
}
