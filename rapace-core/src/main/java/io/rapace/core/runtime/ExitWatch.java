package io.rapace.core.runtime;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs an action when a process exits, on a daemon thread of its own. Not {@code onExit()}: the JDK completes
 * that future on the common fork-join pool, which has one thread on a two-core machine, so any blocking task
 * there would delay the verdict indefinitely.
 */
final class ExitWatch {

    /** How often an ancestor process is looked at: it cannot be waited for, only polled. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private ExitWatch() {
    }

    /** {@code action} runs once {@code child} (a process this JVM started) has exited. */
    static void ofChild(Process child, String threadName, Runnable action) {
        Thread.ofPlatform().daemon().name(threadName).start(() -> {
            boolean waited = false;
            while (!waited) {
                try {
                    child.waitFor();
                    waited = true;
                }
                catch (InterruptedException ex) {
                    // daemon watch: nobody interrupts it on purpose; keep waiting
                }
            }
            action.run();
        });
    }

    /**
     * {@code action} runs once {@code ancestor} has exited (looked at every 250 ms); when it {@code wasParent} (our
     * parent when we looked first), also once this process has another parent (the ancestor may linger as a zombie).
     */
    static void ofAncestor(ProcessHandle ancestor, boolean wasParent, String threadName, Runnable action) {
        boolean isParent = wasParent;
        Thread.ofPlatform().daemon().name(threadName).start(() -> {
            while (ancestor.isAlive() && (!isParent || ProcessHandle.current().parent().map(ancestor::equals)
                    .orElse(false))) {
                LockSupport.parkNanos(POLL_NANOS);
            }
            action.run();
        });
    }
}
