package io.rapace.core.session;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Expires pending calls at their deadlines with at most one timer task armed, for the earliest deadline
 * it covers, instead of a task per call: scheduling and cancelling a task per call woke the timer thread
 * on nearly every call (each new task became the head of an emptied queue). Calls that share a timeout
 * start with later deadlines than the armed one, so they cost one volatile read each.
 *
 * <p>Invariant: every registered call is covered by an armed task due no later than its deadline, or
 * by a sweep that will see it. A call must be registered before {@link #cover} is called for it.
 */
final class DeadlineSweeper {

    /** A task due at {@code deadline} ({@link System#nanoTime()}). */
    private record Armed(long deadline, ScheduledFuture<?> task) {
    }

    private final ScheduledExecutorService timer;

    private final Iterable<PendingCall> calls;

    private final Consumer<PendingCall> expire;

    /** The earliest armed task, or null; CAS so that concurrent callers keep the earliest one. */
    private final AtomicReference<@Nullable Armed> armed = new AtomicReference<>();

    /**
     * @param calls the registered calls; each iteration sees every call registered before it starts
     * @param expire ends one overdue call (it may have ended meanwhile)
     */
    DeadlineSweeper(ScheduledExecutorService timer, Iterable<PendingCall> calls, Consumer<PendingCall> expire) {
        this.timer = timer;
        this.calls = calls;
        this.expire = expire;
    }

    /**
     * Makes sure a sweep runs no later than {@code deadline}.
     *
     * @throws RejectedExecutionException when the timer has been shut down (the session ended)
     */
    void cover(long deadline) {
        while (true) {
            Armed current = this.armed.get();
            if (current != null && current.deadline() - deadline <= 0) {
                return;
            }
            ScheduledFuture<?> task = this.timer.schedule(this::sweep, deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (this.armed.compareAndSet(current, new Armed(deadline, task))) {
                if (current != null) {
                    current.task().cancel(false);  // superseded: the earlier sweep re-arms for what remains
                }
                return;
            }
            task.cancel(false);
        }
    }

    /** Cancels the armed task (the session ended; every call has been failed). */
    void cancel() {
        Armed current = this.armed.getAndSet(null);
        if (current != null) {
            current.task().cancel(false);
        }
    }

    private void sweep() {
        // Cleared before the scan: a call registered after this point covers itself; one registered
        // before is seen by the scan (the registry's iterator reflects everything added before it starts).
        this.armed.set(null);
        long now = System.nanoTime();
        boolean anyLeft = false;
        long earliest = 0;
        for (PendingCall call : this.calls) {
            if (call instanceof BlockingCall) {
                // Its waiter expires it (it waits until its deadline) and reuses the object once it ended: another
                // thread must not end it by a deadline read from a later call.
                continue;
            }
            long deadline = call.deadline();
            if (deadline - now <= 0) {
                this.expire.accept(call);
            }
            else if (!anyLeft || deadline - earliest < 0) {
                anyLeft = true;
                earliest = deadline;
            }
        }
        if (anyLeft) {
            try {
                cover(earliest);
            }
            catch (RejectedExecutionException ended) {
                // The session is ending: close fails every call.
            }
        }
    }
}
