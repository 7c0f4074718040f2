package io.rapace.core.session;

import java.lang.management.ManagementFactory;

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
     * side runs on threads that come and go (a session's handler threads).
     */
    static long othersBytesPerOperation(int operations, Runnable work) {
        long self = Thread.currentThread().threadId();
        long before = THREADS.getTotalThreadAllocatedBytes() - THREADS.getThreadAllocatedBytes(self);
        work.run();
        long after = THREADS.getTotalThreadAllocatedBytes() - THREADS.getThreadAllocatedBytes(self);
        return (after - before) / operations;
    }

    /** Runs {@code work} on this thread and returns what {@code thread} allocated meanwhile, divided by {@code operations}. */
    static long bytesPerOperation(Thread thread, int operations, Runnable work) {
        long before = THREADS.getThreadAllocatedBytes(thread.threadId());
        work.run();
        return (THREADS.getThreadAllocatedBytes(thread.threadId()) - before) / operations;
    }
}
