package io.rapace.core.session;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import io.rapace.transport.shm.FrameHandler;
import io.rapace.transport.shm.PeerDiedException;
import io.rapace.transport.shm.ShmException;
import io.rapace.transport.shm.ShmTransport;
import org.jspecify.annotations.Nullable;

import static io.rapace.core.session.ReadTimings.CALLERS_RECENT_NANOS;
import static io.rapace.core.session.ReadTimings.HANDLER_YIELD_AFTER_NANOS;
import static io.rapace.core.session.ReadTimings.IDLE_WITHOUT_ROLE_TURN_NANOS;
import static io.rapace.core.session.ReadTimings.LEAD_AFTER_IDLE_NANOS;
import static io.rapace.core.session.ReadTimings.LEAD_NANOS;
import static io.rapace.core.session.ReadTimings.LEAD_SPIN_NANOS;
import static io.rapace.core.session.ReadTimings.LONG_IDLE_AFTER_NANOS;
import static io.rapace.core.session.ReadTimings.LONG_IDLE_RECEIVE_NANOS;
import static io.rapace.core.session.ReadTimings.MAX_STEP_ASIDE_NANOS;
import static io.rapace.core.session.ReadTimings.STEP_ASIDE_NANOS;
import static io.rapace.core.session.ReadTimings.TRY_ROLE_FROM_SLEEPER_NANOS;
import static io.rapace.core.session.ReadTimings.TRY_ROLE_NANOS;

/**
 * Who reads the ring: the session's receive thread, or a caller that waits for its own answer
 * (leader/follower). A blocking caller that finds the ring free reads it itself until its answer came,
 * routing every other frame as the receive loop would; meanwhile the receive loop steps aside. So a
 * round trip needs one runnable thread on each side, not two: on a small machine next to a busy-polling
 * peer, a second thread per call waits out scheduler quanta at the tail.
 *
 * <p>The role is a lock: whoever holds it may {@linkplain ShmTransport#poll poll} (the transport allows one consumer at
 * a time, any thread). The receive loop holds it for one bounded receive at a time (where it may sleep in the
 * transport's idle strategy or futex) while no caller was active in the last {@value ReadTimings#CALLERS_RECENT_MICROS}
 * µs; after a second without frames, in a session whose blocking callers wait for their answers, it waits without the
 * role instead (in the kernel, or parked with a v1.0 peer: {@link #idleWithoutRole()}), so that the first caller after
 * an idle period takes the role at once. Otherwise it never waits holding the role: it looks in with quick polls, every
 * 200 µs, growing to 1 ms while its looks find nothing (callers read everything), or back to back (yielding) while
 * callers are parked waiting for it; a caller holds the role only while its answer is due within
 * {@value ReadTimings#LEAD_MICROS} µs of empty polls, then gives it back and parks until the loop delivers the answer.
 * A stream's delivery thread waiting for its next item reads the same way ({@link #readWhileLingering}): the item is
 * then received, decoded and delivered by one thread. So does a handler thread that answered a request for a blocking
 * handler, while requests come back to back ({@link HandlerReaders}): it takes the next such request itself and runs
 * it, with no hand-off from the loop; the loop yields while it reads, and leaves it the ring for at most
 * {@value ReadTimings#HANDLER_READER_MICROS} µs while it comes to read (handed a call, or running one).
 *
 * <p>Holding off: while the session says so ({@code holdOff}: a stream's buffer is full, or the server side
 * takes no new requests and no call of ours waits for an answer), nobody reads: the loop parks in turns,
 * checking that the peer lives, until woken ({@link #wakeLoop()}) by whoever ended the reason; a leading
 * caller gives the role back at once. Frames then wait in the peer's ring and the peer's sends wait for room.
 */
final class ReceiveRole implements FutureLead {

    /** {@link System#nanoTime()} of the loop's last receive that delivered frames (read at the next turn); loop thread only. */
    private long lastFrameNanos = System.nanoTime();

    /** Whether the loop's last receive delivered frames, so that the next turn's clock read dates them; loop thread only. */
    private boolean framesInLastTurn;

    /**
     * The loop's next step-aside (from {@link ReadTimings#STEP_ASIDE_NANOS} up to
     * {@link ReadTimings#MAX_STEP_ASIDE_NANOS}); loop thread only.
     */
    private long stepAsideNanos = STEP_ASIDE_NANOS;

    private static final int BATCH = 64;

    /**
     * Whether a blocking caller of this session has waited for an answer (set by the first): from then on the loop,
     * once idle for long, sleeps without the role ({@link #idleWithoutRole()}). A loop that only serves keeps sleeping
     * inside its receive, where the request that wakes it is read and served at once by the same receive.
     */
    private volatile boolean callersWait;

    /** The loop's sleeps in the kernel without the role (for tests and figures); loop thread only. */
    private final AtomicLong sleepsWithoutRole = new AtomicLong();

    /** Times a caller woke the loop asleep in the kernel holding the role, to take the role (for tests and figures). */
    private final LongAdder loopWokenForRole = new LongAdder();

    private final ShmTransport transport;

    private final ReentrantLock lock = new ReentrantLock();

    /** Callers trying to read or reading; the receive loop steps aside while any are. */
    private final AtomicInteger eager = new AtomicInteger();

    /** Callers parked until the receive loop delivers their answer. */
    private final AtomicInteger parked = new AtomicInteger();

    /** Answers read by the caller that waited for them (for tests and figures); written by leaders only. */
    private final LongAdder selfRead = new LongAdder();

    /** How long a caller leading alone spins before it yields; guarded by {@link #lock}. */
    private final LeadSpin leadSpin;

    /** The transport's {@link ShmTransport#futexWakes()} at the last lead; guarded by the role (the lock). */
    private long peerWakesSeen;

    /** Leads that found the peer's receiver just woken ({@link #peerJustWoken}) and yielded at once; for tests. */
    private final LongAdder leadsAfterPeerWake = new LongAdder();

    /** Frames read by streams' delivery threads waiting for their next item (for tests and figures). */
    private final LongAdder lingerRead = new LongAdder();

    /**
     * {@link System#nanoTime()} when a caller last left (or started, when answered at once): written by callers
     * ({@code lazySet}, a release store: the loop only needs to see it eventually, and a caller's fast path pays no
     * fence), read by the loop and by callers.
     */
    private final AtomicLong lastCallerNanos = new AtomicLong(System.nanoTime() - CALLERS_RECENT_NANOS);

    /** The handler threads that read for their next request, or are due to. */
    private final HandlerReaders handlerReaders = new HandlerReaders(this::readOnceFree);

    /** Set once before the receive loop starts; read by callers (published by Thread.start). */
    private @Nullable FrameHandler router;

    private @Nullable Thread loopThread;

    /** Whether nobody may read now; set once before the receive loop starts. */
    private BooleanSupplier holdOff = () -> false;

    ReceiveRole(ShmTransport transport) {
        this.transport = transport;
        this.leadSpin = new LeadSpin(transport::moveCallerToAnotherCpu);
    }

    /** Wires the frame router and the receive loop's thread; before that thread starts. */
    void attach(FrameHandler frameRouter, Thread receiveLoop) {
        attach(frameRouter, receiveLoop, () -> false);
    }

    /** As {@link #attach(FrameHandler, Thread)}, with the condition under which nobody reads. */
    void attach(FrameHandler frameRouter, Thread receiveLoop, BooleanSupplier holdOffWhen) {
        this.router = frameRouter;
        this.loopThread = receiveLoop;
        this.holdOff = holdOffWhen;
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
        if (this.holdOff.getAsBoolean()) {
            holdTurn(receiveTimeoutNanos);
            return;
        }
        if (this.eager.get() > 0) {
            stepAside();
            return;
        }
        // One clock read a turn (about 50 ns on a VM; a plugin's loop takes a turn per request it serves).
        long now = System.nanoTime();
        if (this.framesInLastTurn) {
            this.lastFrameNanos = now;
            this.framesInLastTurn = false;
        }
        if (this.handlerReaders.anyReading()) {
            // A handler thread reads for its next request: leave it the ring, but stay runnable, so as to read again the
            // moment it stops (a parked loop needs a wake-up, tens of µs on a VM).
            Thread.yield();
            return;
        }
        long handlerDue = this.handlerReaders.dueUntil();
        if (now - handlerDue < 0) {
            // A handler thread comes to read (it was handed a call, or took one and runs it): leave it the ring until
            // then, parked: a loop that yields keeps a thread just woken from the core (Linux's EEVDF runs the one
            // that has run less), and this one may be on its way from its pool.
            LockSupport.parkNanos(this, handlerDue - now);
            return;
        }
        if (now - this.lastCallerNanos.get() < CALLERS_RECENT_NANOS) {
            // Callers come and go and read for themselves. Never wait holding the role (a receive would idle
            // inside the transport with it): look in with a quick poll, so that the next caller almost never
            // finds the role taken, and between looks leave the core to them; while some are parked waiting for
            // this loop, keep looking (yielding), else step aside.
            if (pollOnce() > 0) {
                this.stepAsideNanos = STEP_ASIDE_NANOS;  // frames were waiting for this loop: look again soon
            }
            else if (this.parked.get() > 0) {
                this.stepAsideNanos = STEP_ASIDE_NANOS;
                Thread.yield();
            }
            else {
                stepAside();
            }
            return;
        }
        this.stepAsideNanos = STEP_ASIDE_NANOS;
        if (now - this.lastFrameNanos > LONG_IDLE_AFTER_NANOS && idleWithoutRole()) {
            return;
        }
        if (!this.lock.tryLock()) {
            LockSupport.parkNanos(this, STEP_ASIDE_NANOS);
            return;
        }
        try {
            // No caller around: the usual receive, which may idle (park, futex) inside the transport; after a
            // second without frames in longer turns, since every turn's end wakes this thread (on a VM each
            // wake-up of an idle thread costs tens of µs of CPU). A close waits at most one turn.
            long turn = now - this.lastFrameNanos > LONG_IDLE_AFTER_NANOS ? LONG_IDLE_RECEIVE_NANOS : receiveTimeoutNanos;
            this.framesInLastTurn = this.transport.receive(router(), BATCH, turn) > 0;
        }
        finally {
            this.lock.unlock();
        }
    }

    /** Parks for the current step-aside, and doubles the next one up to {@link ReadTimings#MAX_STEP_ASIDE_NANOS}. */
    private void stepAside() {
        LockSupport.parkNanos(this, this.stepAsideNanos);
        this.stepAsideNanos = Math.min(this.stepAsideNanos << 1, MAX_STEP_ASIDE_NANOS);
    }

    /**
     * One turn of long idleness in a session whose blocking callers wait for their answers: a quick poll, then a wait
     * without the role until frames come ({@link ShmTransport#awaitFrames}: in the kernel with the wake extension,
     * parked by the idle strategy with a v1.0 peer). A caller after the idle period then finds the role free and reads
     * its answer itself: the answer costs no wake-up and hand-over of this loop first (measured against the C
     * reference plugin, which answers at once: 20 µs to unpark the loop plus 40 µs for it to let go of the role, on a
     * 2-core VM). Returns false, having done nothing, in a session without such callers (a plugin that only serves):
     * its loop's receive idles in the transport, holding the role, which nobody else wants.
     */
    private boolean idleWithoutRole() {
        if (!this.callersWait) {
            return false;
        }
        int read = pollOnce();
        if (read > 0) {
            this.framesInLastTurn = true;
            return true;
        }
        // lazySet: written by the loop thread only, read by tests.
        this.sleepsWithoutRole.lazySet(this.sleepsWithoutRole.get() + 1);
        this.transport.awaitFrames(IDLE_WITHOUT_ROLE_TURN_NANOS);
        return true;
    }

    /**
     * One turn of holding off: hands the frames read so far back to the peer (nobody looks at the ring meanwhile, and
     * a look is when the transport does that), then parks until woken or {@code turnNanos} passed, after checking that
     * the peer lives (no receive runs meanwhile to notice its death). Our heartbeat goes on: its own thread writes it.
     */
    private void holdTurn(long turnNanos) {
        if (!this.transport.isPeerAlive()) {
            long age = this.transport.peerHeartbeatAgeNanos();
            throw new PeerDiedException("the peer's heartbeat is " + TimeUnit.NANOSECONDS.toMillis(age)
                    + " ms old while this session held off reading (" + this.transport.path() + ")", age);
        }
        if (this.lock.tryLock()) {
            try {
                this.transport.handBackConsumed();
            }
            finally {
                this.lock.unlock();
            }
        }
        LockSupport.parkNanos(this, turnNanos);
    }

    private int pollOnce() {
        if (!this.lock.tryLock()) {
            return 0;
        }
        try {
            return this.transport.poll(router(), BATCH);
        }
        finally {
            this.lock.unlock();
        }
    }

    /**
     * Waits for {@code call} until {@code deadline}: reads the ring itself while the answer is due,
     * else parks until the receive loop delivers it. False when the deadline passed first. A call that has its outcome
     * already returns at once, but counts as a blocking caller of this session all the same ({@link #callersWait}):
     * the session's first call may well be answered before its caller comes to wait (the loop read the answer
     * meanwhile), and a session whose every call were would otherwise keep its idle loop holding the role.
     */
    boolean await(BlockingCall call, long startNanos, long deadline) {
        callerSeen();
        if (!call.isDone()) {
            leadAsCaller(call, startNanos, deadline);
        }
        if (call.isDone()) {
            return true;
        }
        waiting(true);
        try {
            return call.await(deadline);
        }
        finally {
            waiting(false);
        }
    }

    @Override
    public void lead(BooleanSupplier ended, long deadline) {
        // A thread that reads already (the loop, or a handler it runs) would read inside its own read.
        if (!ended.getAsBoolean() && !isHeldByCurrentThread()) {
            callerSeen();
            leadAsCaller(ended, System.nanoTime(), deadline);
        }
    }

    @Override
    public void waiting(boolean begins) {
        if (begins) {
            this.parked.incrementAndGet();
            // The answer is late: the loop reads for this caller from now on, at once rather than after its step-aside.
            wakeLoop();
        }
        else {
            this.parked.decrementAndGet();
        }
    }

    /**
     * A caller waiting for an answer (a blocking call's, a future's) that started waiting at {@code start}: counted as
     * eager while it leads ({@link #leadUntil}), so that the loop steps aside, and remembered as a recent caller after.
     */
    private void leadAsCaller(BooleanSupplier done, long start, long deadline) {
        this.eager.incrementAndGet();
        try {
            leadUntil(done, start, deadline);
        }
        finally {
            this.eager.decrementAndGet();
            // The call's start stands for its end when it was answered while leading (microseconds later): no clock
            // read on the fast path.
            this.lastCallerNanos.lazySet(done.getAsBoolean() ? start : System.nanoTime());
        }
    }

    /**
     * A blocking caller, or a future's waiter that leads, came to wait for its answer: from now on the idle loop waits
     * without the role.
     */
    private void callerSeen() {
        if (!this.callersWait) {
            this.callersWait = true;  // once: a volatile read per call after that
        }
    }

    /** Tries to become the reader and reads until {@code call} is done or nothing arrived for a while. */
    private void leadUntil(BooleanSupplier call, long start, long deadline) {
        // The role is held either for a quick poll (free again within a microsecond or so) or by another reader
        // (the loop idling, or another caller leading, who delivers this answer too): try only briefly, unless
        // the loop idles in a receive that may sleep: then wake it, it hands the role over within its wake-up.
        boolean afterIdle = start - this.lastCallerNanos.get() > CALLERS_RECENT_NANOS;
        long giveUp = start + TRY_ROLE_NANOS;
        boolean wokeLoop = false;
        while (!call.getAsBoolean()) {
            if (this.lock.tryLock()) {
                try {
                    long lead = afterIdle ? LEAD_AFTER_IDLE_NANOS : LEAD_NANOS;
                    // A caller leading alone spins as long as LeadSpin says, and tells it how its answer came; but not
                    // right after a send woke the peer's sleeping receiver (peerJustWoken): LeadSpin learns from spins of
                    // its own length only.
                    boolean peerWoken = peerJustWoken();
                    readUntil(call, start, Math.min(deadline, start + lead), false,
                            this.eager.get() == 1 && !peerWoken, peerWoken);
                }
                finally {
                    this.lock.unlock();
                }
                if (call.getAsBoolean()) {
                    this.selfRead.increment();
                }
                wakeLoopIfOthersWait();
                return;
            }
            if (!wokeLoop) {
                // Only a receive of the loop sleeps in the kernel: the transport knows (no system call otherwise).
                wokeLoop = this.transport.wakeSleepingReceive();
                if (wokeLoop) {
                    this.loopWokenForRole.increment();
                    giveUp = System.nanoTime() + TRY_ROLE_FROM_SLEEPER_NANOS;
                }
            }
            if (System.nanoTime() - giveUp >= 0) {
                return;
            }
            // Yield, not spin: the role is someone else's for now, and the threads that will produce the answer (the
            // peer's receive loop, the reader, a loop waking up) need a core more than this caller does.
            Thread.yield();
        }
    }

    /**
     * For a stream's delivery thread waiting for its next item ({@link StreamDelivery.Linger}): reads the ring for
     * everyone until {@code arrived} holds or {@code nanos} passed with nothing arriving, so that the item is
     * received, decoded and delivered by that one thread while the receive loop steps aside. While another thread
     * reads, spins instead (the loop steps aside at its next turn, since this thread counts as eager).
     */
    void readWhileLingering(BooleanSupplier arrived, long nanos) {
        long start = System.nanoTime();
        long until = start + nanos;
        this.eager.incrementAndGet();
        try {
            int read = readOnceFree(arrived, start, until, until, false);
            if (read > 0) {
                this.lingerRead.add(read);
            }
        }
        finally {
            this.eager.decrementAndGet();
            this.lastCallerNanos.lazySet(System.nanoTime());
            wakeLoopIfOthersWait();
        }
    }

    /** How handler threads read for their next request (given to the session's server side). */
    HandlerReaders handlerReaders() {
        return this.handlerReaders;
    }

    /**
     * Takes the role if it is free, or comes free before {@code tryUntil} (yielding meanwhile, unless {@code done}
     * holds), then reads as {@link #readUntil}; returns how many frames it read, or -1 when it never had the role.
     * Yielding, not spinning: the holder is often the receive loop that just handed this thread its call from inside a
     * receive, and the kernel puts a woken thread on its waker's core, where it preempts the loop before the loop lets
     * go of the role. Spinning there kept the loop off the core for the whole try: half the probes of a disengaged
     * {@link LingerPolicy} found the role taken, 12 µs after their hand-off, and gave up.
     */
    private int readOnceFree(BooleanSupplier done, long start, long quietUntil, long tryUntil, boolean yieldEarly) {
        while (true) {
            if (this.lock.tryLock()) {
                try {
                    return readUntil(done, start, quietUntil, yieldEarly, false, false);
                }
                finally {
                    this.lock.unlock();
                }
            }
            if (done.getAsBoolean() || System.nanoTime() - tryUntil >= 0) {
                return -1;
            }
            Thread.yield();
        }
    }

    /**
     * Polls the ring for everyone until {@code done} holds or {@code quietUntil} passed with nothing arriving;
     * returns how many frames it read. {@code start} is when the wait began; past {@link ReadTimings#LEAD_SPIN_NANOS}
     * from it (with {@code leadAlone}, past the spin of {@link LeadSpin}, which then learns how the answer came), it
     * yields between polls, and with {@code yieldEarly} once before, past {@link ReadTimings#HANDLER_YIELD_AFTER_NANOS}.
     * With {@code peerWoken} (a send just woke the peer's receiver, {@link #peerJustWoken}; never with {@code leadAlone})
     * it yields after its first empty poll, and between polls from its first look at the clock.
     * The clock is read only every 16th empty poll (a read costs about 50 ns on a VM, as much as a poll).
     */
    private int readUntil(BooleanSupplier done, long start, long quietUntil, boolean yieldEarly, boolean leadAlone,
            boolean peerWoken) {
        boolean yieldOnce = yieldEarly;
        FrameHandler frames = router();
        long until = quietUntil;
        long spin = peerWoken ? 0 : leadAlone ? this.leadSpin.nanos() : LEAD_SPIN_NANOS;
        // After a first empty poll: the woken peer has not answered yet, and its thread may be waiting for this core.
        // (Not before it: the peer's thread, woken onto this core, may have preempted us and answered already.)
        boolean yieldNow = peerWoken;
        boolean yielded = false;
        boolean lastYieldGaveCore = false;
        boolean framesSinceLook = false;
        int read = 0;
        try {
            for (int round = 1; ; round++) {
                if (done.getAsBoolean()) {
                    if (leadAlone) {
                        this.leadSpin.answered(Thread.currentThread().threadId(), yielded, lastYieldGaveCore);
                    }
                    return read;
                }
                if (this.holdOff.getAsBoolean()) {
                    return read;  // a stream's buffer is full: nobody reads until its subscriber catches up
                }
                int polled = this.transport.poll(frames, BATCH);
                if (polled > 0) {
                    read += polled;
                    framesSinceLook = true;  // the quiet period restarts: counted at the next look at the clock
                    continue;
                }
                if (yieldNow) {
                    yieldNow = false;
                    Thread.yield();
                    continue;
                }
                if ((round & 15) != 0) {
                    Thread.onSpinWait();
                    continue;
                }
                long now = System.nanoTime();
                if (framesSinceLook) {
                    until = Math.max(until, now + LEAD_NANOS);
                    framesSinceLook = false;
                }
                if (now - until >= 0) {
                    return read;
                }
                if (now - start >= spin) {
                    // Past a fast answer: yield between polls, handing the core to the peer if it shares it. A yield
                    // that took long gave the core away (timed only here: the clock was just read for this round).
                    Thread.yield();
                    yielded = true;
                    lastYieldGaveCore = System.nanoTime() - now >= LeadSpin.GAVE_CORE_NANOS;
                }
                else if (yieldOnce && now - start >= HANDLER_YIELD_AFTER_NANOS) {
                    yieldOnce = false;
                    Thread.yield();
                }
            }
        }
        catch (ShmException | IllegalStateException ended) {
            // closed or failing under us: the receive loop ends the session and fails every pending call
        }
        return read;
    }

    /**
     * Whether a send woke the peer's receiver from its sleep in the kernel since the last lead (this caller's own
     * request, as a rule): then the lead yields after its first empty poll instead of spinning. The kernel puts
     * a woken thread on its waker's core when the other cores sleep (on a VM a halted virtual CPU counts as busy), and
     * there a spin only holds off the thread that will answer: traced on a 2-core VM, first calls after idle whose
     * caller spun on held the woken plugin off for 17-106 µs. On another core, the peer answers while the yields
     * return at once. The role's holder only.
     */
    private boolean peerJustWoken() {
        long wakes = this.transport.futexWakes();
        if (wakes == this.peerWakesSeen) {
            return false;
        }
        this.peerWakesSeen = wakes;
        this.leadsAfterPeerWake.increment();
        return true;
    }

    /** Others parked for their answers: the loop must read for them now rather than after its step-aside. */
    private void wakeLoopIfOthersWait() {
        if (this.parked.get() > 0) {
            wakeLoop();
        }
    }

    /** Wakes the receive loop (parked stepping aside or holding off). */
    void wakeLoop() {
        Thread loop = this.loopThread;
        if (loop != null) {
            LockSupport.unpark(loop);
        }
    }

    /** How many frames streams' delivery threads read while waiting for their next item, since the session started. */
    long framesReadByStreamDeliverers() {
        return this.lingerRead.sum();
    }

    /** How many times the loop, idle for long, slept in the kernel without the role, since the session started. */
    long sleepsWithoutRole() {
        return this.sleepsWithoutRole.get();
    }

    /** How many times a caller woke the loop asleep in the kernel holding the role, to take the role from it. */
    long loopWakesForRole() {
        return this.loopWokenForRole.sum();
    }

    /** How many leads found the peer's receiver just woken by a send and yielded without spinning. */
    long leadsAfterPeerWake() {
        return this.leadsAfterPeerWake.sum();
    }

    /** How many answers their own callers read (leaders), since the session started. */
    long answersReadByTheirCallers() {
        return this.selfRead.sum();
    }

    private FrameHandler router() {
        FrameHandler frames = this.router;
        if (frames == null) {
            throw new IllegalStateException("receive role used before the session attached its router");
        }
        return frames;
    }
}
