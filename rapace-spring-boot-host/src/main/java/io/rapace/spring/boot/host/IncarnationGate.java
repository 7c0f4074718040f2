package io.rapace.spring.boot.host;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import org.jspecify.annotations.Nullable;

/**
 * Where the calls of one supervised plugin find its running incarnation. The supervisor {@linkplain #open opens} the
 * gate with each incarnation that started, {@linkplain #close closes} it when that one stops serving (calls then wait
 * for the next, or fail at once with {@code UNAVAILABLE} under {@link CallsDuringRestart#FAIL_FAST}), and
 * {@linkplain #end ends} it when no incarnation will come again. The supervisor calls those three under its own lock,
 * so that a caller never sees them out of order; callers ({@link #await}, {@link #runningNow}) take no lock.
 */
final class IncarnationGate {

    /** How often a caller looks again when the incarnation it found has died but the supervisor has not noticed. */
    private static final long DEAD_INCARNATION_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final PluginDefinition definition;

    private final PluginCalls calls;

    /** The supervisor's state for a refusal's message ("restarting; last failure: ..."). */
    private final Supplier<String> describeState;

    /** Completed with the running incarnation; a pending future while none runs; failed once no more will come. */
    private volatile CompletableFuture<Incarnation> available = new CompletableFuture<>();

    IncarnationGate(PluginDefinition definition, PluginCalls calls, Supplier<String> describeState) {
        this.definition = definition;
        this.calls = calls;
        this.describeState = describeState;
    }

    /** Calls go to {@code incarnation} from now on, waiting ones included. */
    void open(Incarnation incarnation) {
        if (!this.available.complete(incarnation)) {
            this.available = CompletableFuture.completedFuture(incarnation);
        }
    }

    /** No incarnation serves for now (one stalled or exited, or a new supervision starts): calls wait for the next. */
    void close() {
        if (this.available.isDone()) {
            this.available = new CompletableFuture<>();
        }
    }

    /** No incarnation will come: waiting and later calls fail with {@code refusal}. */
    void end(RapaceException refusal) {
        if (!this.available.completeExceptionally(refusal)) {
            this.available = CompletableFuture.failedFuture(refusal);
        }
    }

    /**
     * The running incarnation, waiting for one until {@code deadlineNanos} (on {@link System#nanoTime()}) when
     * the plugin is starting or restarting and calls wait. A refusal is reported to the plugin's call listeners.
     *
     * @throws RapaceException {@code UNAVAILABLE} when none runs and none will (or calls fail fast),
     *     {@code DEADLINE_EXCEEDED} when none came in time, {@code CANCELLED} when interrupted
     */
    Incarnation await(long deadlineNanos) {
        try {
            return awaitOrRefuse(deadlineNanos);
        }
        catch (RapaceException refused) {
            this.calls.ended(refused.errorCode());
            throw refused;
        }
    }

    /** The running incarnation if one can take a call now, without waiting; otherwise null. */
    @Nullable Incarnation runningNow() {
        CompletableFuture<Incarnation> next = this.available;
        if (next.isDone() && !next.isCompletedExceptionally()) {
            Incarnation incarnation = next.join();
            return incarnation.isAlive() ? incarnation : null;
        }
        return null;
    }

    private Incarnation awaitOrRefuse(long deadlineNanos) {
        while (true) {
            CompletableFuture<Incarnation> next = this.available;
            if (next.isDone() && !next.isCompletedExceptionally()) {
                Incarnation incarnation = next.join();
                if (incarnation.isAlive()) {
                    return incarnation;
                }
                // Died a moment ago and the supervisor has not closed it yet: the next one is coming.
                refuseOrCheckDeadline(deadlineNanos);
                LockSupport.parkNanos(DEAD_INCARNATION_POLL_NANOS);
                continue;
            }
            if (next.isCompletedExceptionally()) {
                throw unwrap(next);
            }
            refuseOrCheckDeadline(deadlineNanos);
            try {
                next.get(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
            }
            catch (TimeoutException ex) {
                throw notBackInTime();
            }
            catch (ExecutionException ex) {
                throw unwrap(next);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new RapaceException(ErrorCode.CANCELLED, "interrupted while waiting for plugin '"
                        + this.definition.name() + "' to come back");
            }
        }
    }

    private void refuseOrCheckDeadline(long deadlineNanos) {
        if (this.definition.callsDuringRestart() == CallsDuringRestart.FAIL_FAST) {
            throw new RapaceException(ErrorCode.UNAVAILABLE, "plugin '" + this.definition.name() + "' is "
                    + this.describeState.get() + " (calls-during-restart=fail-fast)");
        }
        if (System.nanoTime() - deadlineNanos >= 0) {
            throw notBackInTime();
        }
    }

    private RapaceException notBackInTime() {
        return new RapaceException(ErrorCode.DEADLINE_EXCEEDED, "plugin '" + this.definition.name()
                + "' did not come back within the call timeout of " + this.definition.callTimeout() + ": it is "
                + this.describeState.get());
    }

    private static RapaceException unwrap(CompletableFuture<Incarnation> failed) {
        try {
            failed.join();
        }
        catch (RuntimeException ex) {
            if (ex.getCause() instanceof RapaceException rapace) {
                return rapace;
            }
            return new RapaceException(ErrorCode.UNAVAILABLE, String.valueOf(ex.getMessage()), ex);
        }
        throw new IllegalStateException("not failed");
    }
}
