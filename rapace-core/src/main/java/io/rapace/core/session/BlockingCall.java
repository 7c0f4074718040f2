package io.rapace.core.session;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import io.rapace.core.RapaceException;
import io.rapace.core.codec.PostcardCodec;
import io.rapace.core.codec.Unboxed;
import io.rapace.transport.shm.Frame;
import org.jspecify.annotations.Nullable;

/**
 * A unary call whose caller blocks until the answer, and the slot of that answer: completed directly by the
 * thread that ends the call (usually the receive loop, or the caller itself while it reads the ring), which
 * only stores the outcome and unparks the caller, and the caller is woken without a hop through another thread.
 * A call made with a result codec has its answer decoded by the thread that reads it, straight from the frame
 * ({@link ThreadScratch#decode}), as stream items are: the only user code that runs there is the canonical
 * constructor of a record the answer decodes to. One made without gets a copy of the answer's bytes. One whose answer
 * is a primitive value has it read as its raw bits into this object ({@link Unboxed#decodeBits}), so that no box is
 * made for it.
 */
final class BlockingCall extends UnaryCall implements BooleanSupplier {

    /**
     * How long a waiter spins for its answer before it starts yielding: briefly, since a waiter here is one that
     * does not read the ring (another caller or the loop does): with 8 callers on 2 cores, waiters that spun 20 µs
     * took most of both cores (perf: 60 % in their spin) from the peer that had to answer, and 8 typed callers
     * made 80-168k calls/s; spinning 2 µs and yielding in {@code ReceiveRole.lead}, 268-321k (docs/session.md).
     */
    static final long SPIN_NANOS = 2_000;

    /** How long after the request a waiter yields before it parks. */
    static final long YIELD_UNTIL_NANOS = 100_000;

    /** Stands for a decoded answer that is null (a unit or an absent {@code Option}), since null means "not yet". */
    private static final Object NULL_ANSWER = new Object();

    /** Stands for an answer read as bits: they are in {@link #answerBits}. */
    private static final Object BITS_ANSWER = new Object();

    private final Thread waiter;

    /** Decodes the answer; null: the answer is its bytes. Set before the call is registered, as its channel. */
    private @Nullable PostcardCodec<?> resultCodec;

    /** Whether the answer is read as bits ({@link Unboxed#decodeBits}); set with {@link #resultCodec}. */
    private boolean answerAsBits;

    /**
     * The answer's bits, when read as bits. Plain: written by the thread that reads the answer before its release
     * store of {@link #outcome}, read by the waiter after its acquire load of it. A late answer of an earlier call of
     * this object can only write here before the current call's answer does: one thread reads the ring at a time,
     * and it reads that late frame whole before the next one.
     */
    private long answerBits;

    /**
     * The answer (its bytes, or the value decoded, {@link #NULL_ANSWER} for null) or a {@link RapaceException}
     * (never a decoded value: no codec decodes to an exception); null until completed. Volatile: the write
     * (release) publishes the answer to the waiter, whose read (acquire) sees it whole.
     */
    private volatile @Nullable Object outcome;

    private static final VarHandle OUTCOME;

    static {
        try {
            OUTCOME = MethodHandles.lookup().findVarHandle(BlockingCall.class, "outcome", Object.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /**
     * A call made by {@code waiter}, which waits for its answer ({@link #await}), decoded by {@code resultCodec} or,
     * when null, copied out as bytes.
     */
    BlockingCall(int channelId, int methodId, long timeoutNanos, Thread waiter, @Nullable PostcardCodec<?> resultCodec,
            boolean answerAsBits) {
        super(channelId, methodId, timeoutNanos);
        this.waiter = waiter;
        this.resultCodec = resultCodec;
        this.answerAsBits = answerAsBits;
    }

    /**
     * Makes this ended call a new call of its waiter (who alone calls this, before registering it): a platform
     * thread reuses its one call object ({@link ThreadScratch#blockingCall}). Whoever ended the previous call has
     * at most the waiter's unpark left to do, which a parked waiter treats as spurious.
     */
    void restart(int channelId, int methodId, long timeoutNanos, @Nullable PostcardCodec<?> resultCodec,
            boolean answerAsBits) {
        restart(channelId, methodId, timeoutNanos);
        this.resultCodec = resultCodec;
        this.answerAsBits = answerAsBits;
        // A release store, no fence: the registration that follows (the table's monitor) publishes the call to the
        // thread that will answer it, and only this thread reads the outcome before that answer's release store.
        OUTCOME.setRelease(this, null);
    }

    @Override
    @Nullable Object answerOf(Frame frame) {
        PostcardCodec<?> codec = this.resultCodec;
        if (codec == null) {
            return ClientCalls.payloadOf(frame);
        }
        if (this.answerAsBits) {
            this.answerBits = ThreadScratch.decodeBits(codec, frame);
            return BITS_ANSWER;
        }
        return ThreadScratch.decode(codec, frame);
    }

    @Override
    void succeed(@Nullable Object answer) {
        this.outcome = answer != null ? answer : NULL_ANSWER;
        wakeWaiter();
    }

    @Override
    void fail(RapaceException failure) {
        this.outcome = failure;
        wakeWaiter();
    }

    /** A caller that read its own answer (leader/follower) is not parked: nothing to wake. */
    private void wakeWaiter() {
        if (Thread.currentThread() != this.waiter) {
            LockSupport.unpark(this.waiter);
        }
    }

    /**
     * Waits (only the waiter thread may call this) until completed or until {@code deadline}
     * ({@link System#nanoTime()}); false when the deadline passed first. An interrupt ends the wait early
     * and stays set.
     */
    boolean await(long deadline) {
        // A fast answer comes within microseconds: waiting for it on the core avoids a park and an unpark
        // (a wake-up of this thread that, next to a busy peer on a small machine, can wait out a quantum).
        // Spin first; then yield, which hands the core to the thread that will deliver the answer (the
        // receive loop, perhaps just woken from its futex) instead of holding it; park only after that.
        long start = System.nanoTime();
        long budget = Math.min(YIELD_UNTIL_NANOS, deadline - start);
        boolean yielding = false;
        for (int round = 1; this.outcome == null; round++) {
            if (yielding || (round & 63) == 0) {
                long waited = System.nanoTime() - start;
                if (waited >= budget) {
                    break;
                }
                yielding = waited >= SPIN_NANOS;
            }
            if (yielding) {
                Thread.yield();
            }
            else {
                Thread.onSpinWait();
            }
        }
        while (this.outcome == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || Thread.currentThread().isInterrupted()) {
                return this.outcome != null;
            }
            LockSupport.parkNanos(this, left);
        }
        return true;
    }

    /** Whether the call has its outcome. */
    boolean isDone() {
        return this.outcome != null;
    }

    /** {@link #isDone()}: what a leading caller reads the ring until ({@link ReceiveRole}). */
    @Override
    public boolean getAsBoolean() {
        return isDone();
    }

    /**
     * The answer (bytes or the decoded value), or the failure thrown. Once the call has left the registry its outcome is imminent
     * (the thread that removed it completes it next), so this waits for it, yielding, without parking.
     */
    @Nullable Object resultOrThrow() {
        Object result = outcomeOrThrow();
        return result == NULL_ANSWER ? null : result;
    }

    /** The bits of an answer read as bits ({@link #resultOrThrow()} otherwise), or the failure thrown. */
    long bitsOrThrow() {
        outcomeOrThrow();
        return this.answerBits;
    }

    private Object outcomeOrThrow() {
        Object result;
        while ((result = this.outcome) == null) {
            Thread.yield();
        }
        // The thread keeps this object for its next call: let go of the answer (the call stays done). A release
        // store, no fence: only this thread reads the outcome again (restart() overwrites it first).
        OUTCOME.setRelease(this, NULL_ANSWER);
        if (result instanceof RapaceException failure) {
            throw failure;
        }
        return result;
    }
}
