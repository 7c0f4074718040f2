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
        FutureCall from = this.call;
        if (from == null || isDone() || !from.readBeforeWaiting(Long.MAX_VALUE)) {
            return super.get();
        }
        try {
            return super.get();
        }
        finally {
            from.doneWaiting();
        }
    }

    @Override
    public final T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        FutureCall from = this.call;
        if (from == null || isDone()) {
            return super.get(timeout, unit);
        }
        long start = System.nanoTime();
        long nanos = unit.toNanos(timeout);
        if (nanos <= 0) {
            return super.get(timeout, unit);  // a look, not a wait
        }
        boolean waits = from.readBeforeWaiting(start + nanos);
        long left = Math.max(0, nanos - (System.nanoTime() - start));
        if (!waits) {
            return super.get(left, TimeUnit.NANOSECONDS);
        }
        try {
            return super.get(left, TimeUnit.NANOSECONDS);
        }
        finally {
            from.doneWaiting();
        }
    }

    @Override
    public final T join() {
        FutureCall from = this.call;
        if (from == null || isDone() || !from.readBeforeWaiting(Long.MAX_VALUE)) {
            return super.join();
        }
        try {
            return super.join();
        }
        finally {
            from.doneWaiting();
        }
    }

    /** Stages made from this one wait for the same call the same way. */
    @Override
    public final <U> CompletableFuture<U> newIncompleteFuture() {
        return new LeadingFuture<>(this.call);
    }
}
