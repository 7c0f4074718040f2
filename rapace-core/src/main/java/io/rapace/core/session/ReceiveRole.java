package io.rapace.core.session;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import io.rapace.transport.shm.FrameHandler;
import io.rapace.transport.shm.ShmException;
import io.rapace.transport.shm.ShmTransport;
import org.jspecify.annotations.Nullable;

/**
 * Who reads the ring: the session's receive thread, or a caller that waits for its own answer
 * (leader/follower). A blocking caller that finds the ring free reads it itself until its answer came,
 * routing every other frame as the receive loop would; meanwhile the receive loop steps aside. So a
 * round trip needs one runnable thread on each side, not two: on a small machine next to a busy-polling
 * peer, a second thread per call waits out scheduler quanta at the tail.
 *
 * <p>The role is a lock: whoever holds it may {@linkplain ShmTransport#poll poll} (the transport allows one
 * consumer at a time, any thread). The receive loop holds it for one bounded receive at a time and, while
 * callers were active in the last {@value #CALLERS_RECENT_MICROS} µs, receives with a short timeout so that
 * it notices them; a caller holds it only while its answer is due within {@value #LEAD_MICROS} µs of empty
 * polls, then gives it back and parks until the loop delivers the answer.
 */
final class ReceiveRole {

    /** A caller tries this long to become the reader (and then reads this long with nothing arriving). */
    static final long LEAD_MICROS = 50;

    /** The receive loop keeps short receives this long after the last caller left. */
    static final long CALLERS_RECENT_MICROS = 2_000;

    /** The receive loop's receive while callers are around: short, so that it notices them. */
    private static final long SHORT_RECEIVE_NANOS = TimeUnit.MICROSECONDS.toNanos(20);

    /** How long the receive loop steps aside before it looks again (a caller leaving may wake it earlier). */
    private static final long STEP_ASIDE_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private static final long LEAD_NANOS = TimeUnit.MICROSECONDS.toNanos(LEAD_MICROS);

    private static final long CALLERS_RECENT_NANOS = TimeUnit.MICROSECONDS.toNanos(CALLERS_RECENT_MICROS);

    private static final int BATCH = 64;

    private final ShmTransport transport;

    private final ReentrantLock lock = new ReentrantLock();

    /** Callers trying to read or reading; the receive loop steps aside while any are. */
    private final AtomicInteger eager = new AtomicInteger();

    /** Callers parked until the receive loop delivers their answer. */
    private final AtomicInteger parked = new AtomicInteger();

    /** {@link System#nanoTime()} when a caller last left; volatile: written by callers, read by the loop. */
    private volatile long lastCallerNanos = System.nanoTime() - CALLERS_RECENT_NANOS;

    /** Set once before the receive loop starts; read by callers (published by Thread.start). */
    private @Nullable FrameHandler router;

    private @Nullable Thread loopThread;

    ReceiveRole(ShmTransport transport) {
        this.transport = transport;
    }

    /** Wires the frame router and the receive loop's thread; before that thread starts. */
    void attach(FrameHandler frameRouter, Thread receiveLoop) {
        this.router = frameRouter;
        this.loopThread = receiveLoop;
    }

    /** Whether the calling thread reads the ring now (the receive loop, or a caller leading). */
    boolean isHeldByCurrentThread() {
        return this.lock.isHeldByCurrentThread() || Thread.currentThread() == this.loopThread;
    }

    /**
     * One turn of the receive loop: one receive while no caller reads, else a short step aside.
     *
     * @throws io.rapace.transport.shm.PeerDiedException from the receive, as {@link ShmTransport#receive}
     */
    void loopOnce(long receiveTimeoutNanos) {
        if (this.eager.get() > 0 || !this.lock.tryLock()) {
            LockSupport.parkNanos(this, STEP_ASIDE_NANOS);
            return;
        }
        try {
            boolean callersAround = System.nanoTime() - this.lastCallerNanos < CALLERS_RECENT_NANOS;
            this.transport.receive(router(), BATCH, callersAround ? SHORT_RECEIVE_NANOS : receiveTimeoutNanos);
        }
        finally {
            this.lock.unlock();
        }
    }

    /**
     * Waits for {@code completion} until {@code deadline}: reads the ring itself while the answer is due,
     * else parks until the receive loop delivers it. False when the deadline passed first.
     */
    boolean await(BlockingCompletion completion, long deadline) {
        if (!completion.isDone()) {
            this.eager.incrementAndGet();
            try {
                lead(completion, deadline);
            }
            finally {
                this.eager.decrementAndGet();
                this.lastCallerNanos = System.nanoTime();
            }
        }
        if (completion.isDone()) {
            return true;
        }
        this.parked.incrementAndGet();
        try {
            return completion.await(deadline);
        }
        finally {
            this.parked.decrementAndGet();
        }
    }

    /** Tries to become the reader and reads until the answer came or nothing arrived for a while. */
    private void lead(BlockingCompletion completion, long deadline) {
        long giveUp = System.nanoTime() + LEAD_NANOS;
        while (!completion.isDone()) {
            if (this.lock.tryLock()) {
                try {
                    readUntilAnswered(completion, Math.min(deadline, System.nanoTime() + LEAD_NANOS));
                }
                finally {
                    this.lock.unlock();
                }
                wakeLoopIfOthersWait();
                return;
            }
            if (System.nanoTime() - giveUp >= 0) {
                return;
            }
            Thread.onSpinWait();
        }
    }

    /** Polls the ring for everyone until the answer came or {@code quietUntil} passed with nothing arriving. */
    private void readUntilAnswered(BlockingCompletion completion, long quietUntil) {
        FrameHandler frames = router();
        long until = quietUntil;
        try {
            for (int round = 1; !completion.isDone(); round++) {
                if (this.transport.poll(frames, BATCH) > 0) {
                    until = System.nanoTime() + LEAD_NANOS;
                }
                else if ((round & 15) == 0 && System.nanoTime() - until >= 0) {
                    return;
                }
                else {
                    Thread.onSpinWait();
                }
            }
        }
        catch (ShmException | IllegalStateException ended) {
            // closed or failing under us: the receive loop ends the session and fails every pending call
        }
    }

    /** Others parked for their answers: the loop must read for them now rather than after its step-aside. */
    private void wakeLoopIfOthersWait() {
        Thread loop = this.loopThread;
        if (this.parked.get() > 0 && loop != null) {
            LockSupport.unpark(loop);
        }
    }

    private FrameHandler router() {
        FrameHandler frames = this.router;
        if (frames == null) {
            throw new IllegalStateException("receive role used before the session attached its router");
        }
        return frames;
    }
}
