package io.rapace.core.session;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

import io.rapace.core.RapaceException;
import io.rapace.transport.shm.Frame;
import org.jspecify.annotations.Nullable;

/**
 * A unary call answered through the caller's {@link CompletableFuture}, completed on the callback executor: the
 * caller's dependent stages (user code) then run there, never on the receive loop. The call is itself the task
 * handed to that executor (no capturing lambda per answer).
 *
 * <p>A thread about to wait on the future ({@link LeadingFuture}) first reads the ring for the answer itself
 * ({@link #readBeforeWaiting}): when it is that thread that reads the answer, the outcome is left to it, and it
 * completes the future once it stopped reading, on its own thread (the one that waits, never the receive loop),
 * with no callback thread and no wake-up in between. One waiting thread at a time leads; others only wait.
 */
final class FutureCall extends UnaryCall implements Runnable, BooleanSupplier {

    private static final VarHandle LEADER;

    static {
        try {
            LEADER = MethodHandles.lookup().findVarHandle(FutureCall.class, "leader", Thread.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final CompletableFuture<byte[]> future;

    private final Executor callbacks;

    private final FutureLead lead;

    /*
     * The answer or the failure (exactly one is set), stored once by whoever ended the call, before it hands this
     * call to the callback executor (Executor.execute publishes them to run(): actions before a submission
     * happen-before the task runs) or sets ended (a volatile write, read by the leading thread before run()).
     */
    private byte @Nullable [] answer;

    private @Nullable RapaceException failure;

    /** Whether the outcome is stored: written once after it by whoever ended the call, read by a leading thread. */
    private volatile boolean ended;

    /** The thread reading the ring for this answer while it waits on the future, or null; claimed by CAS (LEADER). */
    @SuppressWarnings("unused")  // through LEADER
    private volatile @Nullable Thread leader;

    /** Whether the leading thread read the answer itself, and so completes the future itself; that thread only. */
    private boolean leftToLeader;

    FutureCall(int channelId, int methodId, long timeoutNanos, CompletableFuture<byte[]> future, Executor callbacks,
            FutureLead lead) {
        super(channelId, methodId, timeoutNanos);
        this.future = future;
        this.callbacks = callbacks;
        this.lead = lead;
    }

    @Override
    byte[] answerOf(Frame frame) {
        return ClientCalls.payloadOf(frame);
    }

    @Override
    void succeed(@Nullable Object answer) {
        this.answer = (byte[]) answer;
        ended();
    }

    @Override
    void fail(RapaceException failure) {
        this.failure = failure;
        ended();
    }

    /** The outcome is stored: left to the leading thread when it is the one that read it, else handed to the executor. */
    private void ended() {
        // A plain read of a volatile suffices to compare: only this thread can have written itself there.
        if (LEADER.get(this) == Thread.currentThread()) {
            this.leftToLeader = true;
            this.ended = true;
            return;
        }
        this.ended = true;
        this.callbacks.execute(this);
    }

    /** Whether the call has its outcome (a leading thread reads until it has). */
    @Override
    public boolean getAsBoolean() {
        return this.ended;
    }

    /**
     * For a thread about to wait on this call's future (or a stage depending on it) until {@code deadline}: reads
     * the ring while the answer is due, unless another thread leads already, and completes the future itself when
     * it read the answer. Returns whether the thread must still wait: then it is counted as waiting until it calls
     * {@link #doneWaiting()}, so that the receive loop reads for it at once.
     */
    boolean readBeforeWaiting(long deadline) {
        if (this.ended) {
            return false;  // the executor completes the future (or has): nothing to read for
        }
        Thread self = Thread.currentThread();
        if (LEADER.compareAndSet(this, null, self)) {
            try {
                this.lead.lead(this, deadline);
            }
            finally {
                LEADER.setVolatile(this, null);
            }
            if (this.leftToLeader) {
                this.leftToLeader = false;
                run();
                return false;
            }
            if (this.ended) {
                return false;
            }
        }
        this.lead.waiting(true);
        return true;
    }

    /** The thread that {@link #readBeforeWaiting} left waiting no longer waits. */
    void doneWaiting() {
        this.lead.waiting(false);
    }

    /** Completes the future with the stored answer or failure; on the callback executor, or on the leading thread. */
    @Override
    public void run() {
        RapaceException failed = this.failure;
        if (failed != null) {
            this.future.completeExceptionally(failed);
        }
        else {
            this.future.complete(this.answer);
        }
    }
}
