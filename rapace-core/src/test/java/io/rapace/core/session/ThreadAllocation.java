package io.rapace.core.session;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.rapace.transport.shm.TransportWarmUps;

/**
 * Bytes the current thread allocates, counted exactly by the JVM ({@code getThreadAllocatedBytes}): for tests
 * that hold a path to what it allocates per operation (bytes, not time, so no timing enters a test).
 */
final class ThreadAllocation {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private ThreadAllocation() {
    }

    /** Runs {@code work} on this thread and returns what it allocated, divided by {@code operations}. */
    static long bytesPerOperation(int operations, Runnable work) {
        return bytesPerOperation(Thread.currentThread(), operations, work);
    }

    /**
     * Runs {@code work} on this thread and returns what every other thread of this JVM allocated meanwhile, the ones
     * that ended included ({@code getTotalThreadAllocatedBytes}), divided by {@code operations}: for work whose other
     * side runs on threads that come and go (a session's handler threads). What the JVM makes once, whichever test
     * comes to it first, is made before: the transport's warm-up ({@link TransportWarmUps}, about 1.3 MB, started by
     * whichever session of the test JVM first slept) and the virtual threads' scheduler with its carrier threads
     * (made at the JVM's first virtual thread, which a session's handler threads start when every pooled one is
     * busy). Either, overlapping a measurement of 20,000 calls, read as 14 bytes a call.
     */
    static long othersBytesPerOperation(int operations, Runnable work) {
        try {
            TransportWarmUps.runToEnd();
            startEveryCarrierThread();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making what the JVM makes once", ex);
        }
        long self = Thread.currentThread().threadId();
        long before = THREADS.getTotalThreadAllocatedBytes() - THREADS.getThreadAllocatedBytes(self);
        work.run();
        long after = THREADS.getTotalThreadAllocatedBytes() - THREADS.getThreadAllocatedBytes(self);
        return (after - before) / operations;
    }

    /**
     * Runs as many virtual threads at once as the scheduler has carriers at most (one per core), each spinning until all
     * have started, so that the scheduler and every carrier thread exist; gives up the wait after 10 s (a carrier
     * held elsewhere), which only leaves the measurement as it was.
     */
    private static void startEveryCarrierThread() throws InterruptedException {
        int carriers = Runtime.getRuntime().availableProcessors();
        AtomicInteger running = new AtomicInteger();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Thread[] threads = new Thread[carriers];
        for (int i = 0; i < carriers; i++) {
            threads[i] = Thread.ofVirtual().start(() -> {
                running.incrementAndGet();
                while (running.get() < carriers && System.nanoTime() - deadline < 0) {
                    Thread.onSpinWait();
                }
            });
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }

    /** Runs {@code work} on this thread and returns what {@code thread} allocated meanwhile, divided by {@code operations}. */
    static long bytesPerOperation(Thread thread, int operations, Runnable work) {
        long before = THREADS.getThreadAllocatedBytes(thread.threadId());
        work.run();
        return (THREADS.getThreadAllocatedBytes(thread.threadId()) - before) / operations;
    }
}
