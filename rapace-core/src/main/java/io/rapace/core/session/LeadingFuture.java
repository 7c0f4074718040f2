package io.rapace.core.session;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

/**
 * A future that depends on one unary call ({@link CallFuture} itself, and every stage made from it): a thread that
 * waits on it with {@link #get()}, {@link #get(long, TimeUnit)} or {@link #join()} first reads the ring for the
 * call's answer ({@link FutureCall#readBeforeWaiting}), so that {@code call(...).get()} costs about what a blocking
 * call costs. Everything else is {@link CompletableFuture}'s.
 *
 * @param <T> the value
 */
sealed class LeadingFuture<T> extends CompletableFuture<T> permits CallFuture {

    /** The call whose answer this future waits for; null until attached (then set once, before any wait). */
    private @Nullable FutureCall call;

    LeadingFuture(@Nullable FutureCall call) {
        this.call = call;
    }

    /** Attaches the call, before the future is handed to the caller (which publishes it). */
    final void attach(FutureCall dependsOn) {
        this.call = dependsOn;
    }

    @Override
    public final T get() throws InterruptedException, ExecutionException {
        @Nullable FutureCall waiting = readFirst(Long.MAX_VALUE);
        try {
            return super.get();
        }
        finally {
            doneWaiting(waiting);
        }
    }

    @Override
    public final T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        long nanos = unit.toNanos(timeout);
        if (nanos <= 0) {
            return super.get(timeout, unit);  // a look, not a wait
        }
        long start = System.nanoTime();
        @Nullable FutureCall waiting = readFirst(start + nanos);
        try {
            return super.get(Math.max(0, nanos - (System.nanoTime() - start)), TimeUnit.NANOSECONDS);
        }
        finally {
            doneWaiting(waiting);
        }
    }

    @Override
    public final T join() {
        @Nullable FutureCall waiting = readFirst(Long.MAX_VALUE);
        try {
            return super.join();
        }
        finally {
            doneWaiting(waiting);
        }
    }

    /**
     * Before a wait until {@code deadline}: reads for the call's answer ({@link FutureCall#readBeforeWaiting}); the call
     * whose {@link FutureCall#doneWaiting()} must follow the wait, or null when the thread does not count as waiting.
     */
    private @Nullable FutureCall readFirst(long deadline) {
        FutureCall from = this.call;
        return from != null && !isDone() && from.readBeforeWaiting(deadline) ? from : null;
    }

    private static void doneWaiting(@Nullable FutureCall waiting) {
        if (waiting != null) {
            waiting.doneWaiting();
        }
    }

    /** Stages made from this one wait for the same call the same way. */
    @Override
    public final <U> CompletableFuture<U> newIncompleteFuture() {
        return new LeadingFuture<>(this.call);
    }
}
