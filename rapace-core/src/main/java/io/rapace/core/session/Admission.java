package io.rapace.core.session;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import io.rapace.transport.shm.Frame;
import org.jspecify.annotations.Nullable;

/**
 * How many of the peer's requests a session serves at once: at most {@code maxActive} calls are counted (handlers
 * running, answers waiting for room); past that, or while protocol replies fill their queue, new requests are held in
 * arrival order, at most {@code maxHeld}, and one more is refused ({@code RESOURCE_EXHAUSTED}). A held request starts
 * once a counted call ends.
 *
 * <p>One lock guards the count, the held requests and every call's {@link InboundCall#counted} flag. Only the thread
 * reading the ring admits new requests ({@link #admit}), so a place it saw free is still free when it takes it.
 * {@link #isHolding()} is a volatile read for that thread's every turn.
 */
final class Admission {

    private final int maxActive;

    private final int maxHeld;

    /** Whether protocol replies fill their queue: the session then holds new requests too. */
    private final BooleanSupplier repliesFull;

    private final Holder holder;

    /** Guards {@link #admitted}, {@link #held} and every call's {@link InboundCall#counted}. */
    private final Object lock = new Object();

    /** Calls counted against maxActive; guarded by lock. */
    private int admitted;

    /** Requests read but not started, in arrival order; guarded by lock. */
    private final ArrayDeque<InboundCall> held = new ArrayDeque<>();

    /** Whether new requests are held; written under lock, read by the reading thread: volatile. */
    private volatile boolean holding;

    /** Requests answered RESOURCE_EXHAUSTED because maxHeld were already held. */
    private final AtomicLong refused = new AtomicLong();

    Admission(int maxActive, int maxHeld, BooleanSupplier repliesFull, Holder holder) {
        if (maxActive < 1) {
            // holding starts false: a session without a place would hold from its first request on, unseen by it.
            throw new IllegalArgumentException("maxActive must be at least 1, was " + maxActive);
        }
        this.maxActive = maxActive;
        this.maxHeld = maxHeld;
        this.repliesFull = repliesFull;
        this.holder = holder;
    }

    int maxActive() {
        return this.maxActive;
    }

    int maxHeld() {
        return this.maxHeld;
    }

    /** Whether new requests are held now (a volatile read; protocol replies filling up are the caller's to add). */
    boolean isHolding() {
        return this.holding;
    }

    /** Requests read but held until a place frees up. */
    int heldCount() {
        synchronized (this.lock) {
            return this.held.size();
        }
    }

    /** Requests refused because {@code maxHeld} were held already. */
    long refused() {
        return this.refused.get();
    }

    /** What {@link #holdOrRefuse} decided for a request. */
    enum Verdict {
        /** A place is free: start it now. */
        START,
        /** Held, in arrival order: it starts when a place frees up. */
        HELD,
        /** Too many are held already: answer it {@code RESOURCE_EXHAUSTED}. */
        REFUSED
    }

    /** Makes and registers the call of a request that is held, under the lock: registered before it can start. */
    interface Holder {

        InboundCall hold(int channelId, int methodId, Frame frame);
    }

    /**
     * By the reading thread, for a new request: {@link Verdict#START} when a place is free; otherwise the request is
     * held (its call made by the holder) or, past {@code maxHeld}, refused. Allocates nothing unless it holds.
     */
    Verdict holdOrRefuse(int channelId, int methodId, Frame frame) {
        // Without the lock when nothing holds: holding is written under the lock as mustHold() after every change that
        // can make it true (this thread's admit and hold, a held request's start), and the changes other threads make
        // without writing it (a call's release) only free places. So holding false means no request is held and a
        // place is free, as of now; only the replies' fill is not part of it.
        if (!this.holding && !this.repliesFull.getAsBoolean()) {
            return Verdict.START;
        }
        synchronized (this.lock) {
            if (!mustHold()) {
                return Verdict.START;
            }
            if (this.held.size() < this.maxHeld) {
                this.held.add(this.holder.hold(channelId, methodId, frame));
                this.holding = true;
                return Verdict.HELD;
            }
        }
        this.refused.incrementAndGet();
        return Verdict.REFUSED;
    }

    /** Counts {@code call} against maxActive: a request that starts now, or an answer that waits for room. */
    void admit(InboundCall call) {
        synchronized (this.lock) {
            this.admitted++;
            call.counted = true;
            this.holding = mustHold();
        }
    }

    /**
     * {@code call} ended, or could not start (the session is closing): frees its place if it was counted (true: a held
     * request may start now), or forgets it if it ended while held (close, or cancelled and skipped). Once only: a
     * second release of the same call frees nothing.
     */
    boolean release(InboundCall call) {
        synchronized (this.lock) {
            if (call.counted) {
                call.counted = false;
                this.admitted--;
                return true;
            }
            this.held.remove(call);
            return false;
        }
    }

    /**
     * The next held request that may start now, counted already; null when none may. {@code resumed} runs (outside
     * the lock) when this call ended the holding: the reader should go on reading.
     */
    @Nullable InboundCall nextHeld(Runnable resumed) {
        InboundCall next;
        boolean wake;
        synchronized (this.lock) {
            next = this.admitted < this.maxActive && !this.repliesFull.getAsBoolean() ? this.held.poll() : null;
            if (next != null) {
                this.admitted++;
                next.counted = true;
            }
            boolean was = this.holding;
            this.holding = mustHold();
            wake = was && !this.holding;
        }
        if (wake) {
            resumed.run();
        }
        return next;
    }

    /** Whether new requests must wait; under lock. */
    private boolean mustHold() {
        return !this.held.isEmpty() || this.admitted >= this.maxActive || this.repliesFull.getAsBoolean();
    }
}
