package io.rapace.core.session;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Where a session's blocking handlers run: a small pool of platform threads, and a new virtual thread per call
 * when every pooled thread is busy. A pooled thread that finished a handler waits for the next one in a
 * {@link SynchronousQueue} (it spins briefly, then parks), so a call that follows another closely is handed to a
 * thread already running instead of one to be woken or started: between two Java sessions a blocking call took
 * 6.0-9.2 µs at the median this way against 11.2-14.4 µs with a virtual thread per call (alternated runs,
 * docs/session.md); 8 callers pipelining 32 calls each lose about a fifth of their throughput. The pool never makes a call wait: a slow handler holds one thread, and the next call
 * takes another or a virtual thread. Idle pooled threads end after {@value #KEEP_ALIVE_SECONDS} s (no wake-up
 * before then). A pooled thread serves many calls: what a handler leaves in a {@code ThreadLocal} stays for the
 * next one on that thread, as in any server's thread pool. While calls come back to back, a pooled thread that
 * answered reads the session's ring for the next request and runs it itself ({@link HandlerLinger}), so most of them
 * are not handed over at all.
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

    private final ThreadPoolExecutor pooled;

    private final ExecutorService overflow;

    /** Handler threads named {@code prefix} and a number. */
    HandlerThreads(String prefix) {
        this.overflow = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(prefix + "v-", 0).factory());
        this.pooled = new ThreadPoolExecutor(0, POOLED, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS, new SynchronousQueue<>(),
                Thread.ofPlatform().daemon(true).name(prefix, 0).factory(), (task, pool) -> {
                    // Every pooled thread busy: a virtual thread of its own (which refuses once shut down, as the pool).
                    if (pool.isShutdown()) {
                        throw new RejectedExecutionException("handler threads shut down");
                    }
                    this.overflow.execute(task);
                });
    }

    /** Platform threads in the pool now, busy or waiting (for tests). */
    int pooledThreads() {
        return this.pooled.getPoolSize();
    }

    @Override
    public void execute(Runnable task) {
        this.pooled.execute(task);
    }

    @Override
    public void shutdown() {
        this.pooled.shutdown();
        this.overflow.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        List<Runnable> never = new ArrayList<>(this.pooled.shutdownNow());
        never.addAll(this.overflow.shutdownNow());
        return never;
    }

    @Override
    public boolean isShutdown() {
        return this.pooled.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return this.pooled.isTerminated() && this.overflow.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        return this.pooled.awaitTermination(timeout, unit)
                && this.overflow.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
}
