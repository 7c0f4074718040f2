package io.rapace.core.session;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

import static io.rapace.core.session.ReadTimings.HANDLER_LINGER_NANOS;
import static io.rapace.core.session.ReadTimings.HANDLER_READER_NANOS;
import static io.rapace.core.session.ReadTimings.TRY_ROLE_NANOS;

/**
 * The handler threads' share of the {@link ReceiveRole}: a handler thread that answered a request for a blocking
 * handler reads the ring for the next one while requests come back to back ({@link LingerPolicy}), and a thread the
 * loop handed a call is due to come and read. What the receive loop needs to know each turn is here too: whether
 * handler threads read now ({@link #anyReading()}: it yields), and until when one is due ({@link #dueUntil()}: it
 * parks until then).
 */
final class HandlerReaders implements HandlerLinger {

    /** How a handler thread reads: the role's own read for everyone, taken if free within a try. */
    @FunctionalInterface
    interface RoleRead {

        /**
         * Takes the role if it is free, or comes free before {@code tryUntil}, then polls for everyone until
         * {@code done} holds or {@code quietUntil} passed with nothing arriving; returns how many frames it read, or -1
         * when it never had the role. {@code yieldEarly}: leave a caller that shares the core the core once, soon.
         */
        int readOnceFree(BooleanSupplier done, long start, long quietUntil, long tryUntil, boolean yieldEarly);
    }

    private final RoleRead role;

    /**
     * {@link System#nanoTime()} until which a handler thread is due to come and read ({@link #expectReader()}): written
     * with {@code lazySet} (a release store: the loop needs it soon, not at once; missing it costs only the hand-off
     * that this saves), read by the loop every turn.
     */
    private final AtomicLong readerDue = new AtomicLong(System.nanoTime());

    /** Whether handler threads read for their next request now, learnt from how requests come. */
    private final LingerPolicy policy = new LingerPolicy();

    /** Handler threads reading for their next request ({@link #readForNext}); the loop steps aside while any do. */
    private final AtomicInteger reading = new AtomicInteger();

    /** Frames read by handler threads waiting for their next request (for tests and figures). */
    private final LongAdder framesRead = new LongAdder();

    HandlerReaders(RoleRead role) {
        this.role = role;
    }

    /** Whether a handler thread reads for its next request now: the loop leaves it the ring, staying runnable. */
    boolean anyReading() {
        return this.reading.get() > 0;
    }

    /** {@link System#nanoTime()} until which a handler thread is due to come and read (in the past when none is). */
    long dueUntil() {
        return this.readerDue.get();
    }

    @Override
    public boolean handedOff() {
        if (!this.policy.afterHandOff()) {
            return false;
        }
        expectReader();
        return true;
    }

    /** A handler thread is due to read soon (it was handed a call, or took one): the loop leaves it the ring meanwhile. */
    private void expectReader() {
        this.readerDue.lazySet(System.nanoTime() + HANDLER_READER_NANOS);
    }

    /**
     * For a handler thread that answered: reads the ring for everyone until {@code claimed} holds or
     * {@value ReadTimings#HANDLER_LINGER_MICROS} µs passed with nothing arriving. It tries the role only briefly (the
     * loop holds it during a receive when the handler ran long). Having taken a request, it keeps the loop aside while
     * it runs it (before it stops counting as a reader). Meanwhile the loop yields rather than parks, so it reads again
     * at once when this thread stops. Only when its call's hand-off said so ({@code told}), or while requests came back
     * to back lately ({@link LingerPolicy}).
     */
    @Override
    public boolean readForNext(BooleanSupplier claimed, boolean told) {
        if (!this.policy.shouldLinger(told)) {
            return false;
        }
        long start = System.nanoTime();
        int frames;
        boolean took;
        int readers = this.reading.incrementAndGet();
        try {
            // Alone, it leaves a caller that shares its core the core once, soon; with other handler threads reading, a
            // yield would hand the core to one of them.
            frames = this.role.readOnceFree(claimed, start, start + HANDLER_LINGER_NANOS, start + TRY_ROLE_NANOS,
                    readers == 1);
            took = claimed.getAsBoolean();
            if (took) {
                expectReader();
            }
        }
        finally {
            this.reading.decrementAndGet();
        }
        if (frames >= 0) {
            // Only a linger that read says whether requests come back to back. One that found the role taken (the loop
            // reads again once a handler ran past its step-aside) says nothing: the loop hands the next request over
            // and steps aside again, and the thread that takes it reads after it.
            this.framesRead.add(frames);
            this.policy.lingered(took);
        }
        return took;
    }

    /** Whether handler threads read for their next request now (for tests). */
    boolean engaged() {
        return this.policy.isEngaged();
    }

    /** How many frames handler threads read while waiting for their next request, since the session started. */
    long framesRead() {
        return this.framesRead.sum();
    }
}
