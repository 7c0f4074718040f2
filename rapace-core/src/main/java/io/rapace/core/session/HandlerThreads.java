package io.rapace.core.session;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Where a session's blocking handlers run: a small pool of platform threads, and a new virtual thread per call
 * when every pooled thread is busy. A pooled thread that finished a handler waits for the next one (it spins
 * briefly, then parks), so a call that follows another closely is handed to a thread already running instead of one
 * to be woken or started: between two Java sessions a blocking call took 6.0-9.2 µs at the median this way against
 * 11.2-14.4 µs with a virtual thread per call (alternated runs, docs/session.md); 8 callers pipelining 32 calls each
 * lose about a fifth of their throughput. The pool never makes a call wait: a slow handler holds one thread, and the
 * next call takes another or a virtual thread. Idle pooled threads end after {@value #KEEP_ALIVE_SECONDS} s (no
 * wake-up before then). A pooled thread serves many calls: what a handler leaves in a {@code ThreadLocal} stays for
 * the next one on that thread, as in any server's thread pool. While calls come back to back, a pooled thread that
 * answered reads the session's ring for the next request and runs it itself ({@link HandlerLinger}), so most of them
 * are not handed over at all.
 *
 * <p>A hand-off to a waiting pooled thread allocates nothing: each thread waits in a place of its own
 * ({@link PooledThread}), which the handing thread claims with one compare-and-set, where a {@code SynchronousQueue}
 * makes a node per wait. Only starting a pooled thread and the overflow to a virtual thread allocate.
 */
final class HandlerThreads extends AbstractExecutorService {

    /**
     * Platform threads kept for handlers at most, one per core; calls beyond them get virtual threads. On 2 cores 16
     * measured no better (a blocking call 6.1-21.3 µs at the median, 8 callers pipelining 32 calls each 110-137k
     * calls/s, against 6.0-9.2 µs and 100-149k with 2; docs/session.md) and holds eight times the threads.
     */
    static final int POOLED = Math.max(2, Runtime.getRuntime().availableProcessors());

    /** A pooled thread idle this long ends. */
    static final long KEEP_ALIVE_SECONDS = 60;

    private final String prefix;

    /** The pooled threads by place, null where none runs; a thread clears its own place when it ends. */
    private final AtomicReferenceArray<PooledThread> places = new AtomicReferenceArray<>(POOLED);

    private final ExecutorService overflow;

    /**
     * Guards starting and ending pooled threads (so that the places taken under it are the threads alive) and the
     * shutdown; waited on for termination.
     */
    private final Object lifecycle = new Object();

    /** Pooled threads started so far, for their names; guarded by {@link #lifecycle}. */
    private int started;

    /** Set once under {@link #lifecycle}; volatile so that a hand-off reads it without the lock. */
    private volatile boolean shutdown;

    /** How long a pooled thread waits for its next handler before it ends. */
    private final long keepAliveNanos;

    /** Handler threads named {@code prefix} and a number. */
    HandlerThreads(String prefix) {
        this(prefix, TimeUnit.SECONDS.toNanos(KEEP_ALIVE_SECONDS));
    }

    /** The same, pooled threads ending after {@code keepAliveNanos} without a handler (tests shorten it). */
    HandlerThreads(String prefix, long keepAliveNanos) {
        this.prefix = prefix;
        this.keepAliveNanos = keepAliveNanos;
        this.overflow = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(prefix + "v-", 0).factory());
    }

    /** Platform threads in the pool now, busy or waiting (for tests). */
    int pooledThreads() {
        return count(thread -> true);
    }

    /** Platform threads waiting for a handler now, spinning or parked (for tests). */
    int waitingThreads() {
        return count(PooledThread::isWaiting);
    }

    /** Platform threads parked while they wait for a handler now (for tests). */
    int parkedThreads() {
        return count(thread -> thread.isWaiting() && thread.isParked());
    }

    private int count(Predicate<PooledThread> which) {
        int count = 0;
        for (int i = 0; i < POOLED; i++) {
            PooledThread thread = this.places.get(i);
            count += thread != null && which.test(thread) ? 1 : 0;
        }
        return count;
    }

    /**
     * Runs {@code task} on a waiting pooled thread, else on a new pooled thread while there are fewer than
     * {@link #POOLED}, else on a virtual thread of its own; refuses it once shut down.
     */
    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (this.shutdown) {
            throw new RejectedExecutionException("handler threads shut down");
        }
        for (int i = 0; i < POOLED; i++) {
            PooledThread thread = this.places.get(i);
            if (thread != null && thread.offer(task)) {
                return;
            }
        }
        if (!startPooled(task)) {
            // Every pooled thread busy: a virtual thread of its own (which refuses once shut down, as the pool).
            this.overflow.execute(task);
        }
    }

    /** Starts a pooled thread for {@code task} in a free place; false when every place is taken. */
    private boolean startPooled(Runnable task) {
        PooledThread thread = null;
        synchronized (this.lifecycle) {
            if (this.shutdown) {
                throw new RejectedExecutionException("handler threads shut down");
            }
            for (int i = 0; i < POOLED && thread == null; i++) {
                if (this.places.get(i) == null) {
                    thread = new PooledThread(this, i, task, this.prefix + this.started++);
                    this.places.set(i, thread);
                }
            }
        }
        if (thread == null) {
            return false;
        }
        try {
            thread.start();
        }
        catch (RuntimeException | Error ex) {
            ended(thread);
            throw ex;
        }
        return true;
    }

    /** {@code thread} ends: its place is free. */
    void ended(PooledThread thread) {
        synchronized (this.lifecycle) {
            this.places.compareAndSet(thread.place(), thread, null);
            this.lifecycle.notifyAll();
        }
    }

    long keepAliveNanos() {
        return this.keepAliveNanos;
    }

    @Override
    public void shutdown() {
        synchronized (this.lifecycle) {
            this.shutdown = true;
        }
        forEachThread(PooledThread::endIfWaiting);
        this.overflow.shutdown();
    }

    /** Shuts down and interrupts every running handler; nothing is ever queued, so nothing is returned but the overflow's. */
    @Override
    public List<Runnable> shutdownNow() {
        shutdown();
        forEachThread(PooledThread::interrupt);
        return this.overflow.shutdownNow();
    }

    private void forEachThread(Consumer<PooledThread> action) {
        for (int i = 0; i < POOLED; i++) {
            PooledThread thread = this.places.get(i);
            if (thread != null) {
                action.accept(thread);
            }
        }
    }

    @Override
    public boolean isShutdown() {
        return this.shutdown;
    }

    @Override
    public boolean isTerminated() {
        synchronized (this.lifecycle) {
            if (!this.shutdown || pooledThreads() > 0) {
                return false;
            }
        }
        return this.overflow.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (this.lifecycle) {
            while (!this.shutdown || pooledThreads() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this.lifecycle, left);
            }
        }
        return this.overflow.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
}
