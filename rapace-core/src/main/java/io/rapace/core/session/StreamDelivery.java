package io.rapace.core.session;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * The executor that delivers one server stream's items to its subscriber: it runs the tasks handed to it one
 * after the other on a virtual thread of {@code threads}, and that thread lingers for {@value #LINGER_MICROS} µs
 * after the last task before it ends. A stream's items come in bursts a few µs apart; without lingering, every
 * item that finds the subscriber caught up starts a new virtual thread (a carrier wake-up, about 10 µs per item
 * here), which made the client side of a bulk stream the bottleneck. While it lingers it reads the session's
 * ring ({@link Linger}), so that a steady stream needs one runnable thread on the client side, not two.
 *
 * <p>Per task: one queue node and, while the thread lingers, no thread start. Tasks never overlap: at most one
 * thread drains at a time ({@link #draining}).
 */
final class StreamDelivery implements Executor {

    /** How long a drained delivery thread waits for the next task before it ends. */
    static final long LINGER_MICROS = 50;

    private static final long LINGER_NANOS = TimeUnit.MICROSECONDS.toNanos(LINGER_MICROS);

    private final Executor threads;

    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

    /** Whether a thread drains (or lingers); set by whoever starts one, cleared by that thread before it ends. */
    private final AtomicBoolean draining = new AtomicBoolean();

    private final Runnable drain = this::drain;

    /** Made once: whether a task waits (the lingering thread's condition to stop waiting). */
    private final BooleanSupplier taskWaits = () -> !this.tasks.isEmpty();

    private final Linger linger;

    /**
     * How a drained delivery thread waits for the next task. The session's {@link ReceiveRole} reads the ring
     * meanwhile, so that the next item is received, decoded and delivered by this one thread (two runnable
     * threads per stream on the client side made a bulk stream wait for cores on a small machine).
     */
    @FunctionalInterface
    interface Linger {

        /** Spins: the waiting of a delivery without a session to read for (tests). */
        Linger SPIN = (arrived, nanos) -> {
            long until = System.nanoTime() + nanos;
            while (!arrived.getAsBoolean() && System.nanoTime() - until < 0) {
                // Not Thread.yield(): a virtual thread's yield resubmits it to the scheduler (a pool signal, the
                // very cost saved here). The carrier is held for at most the linger.
                Thread.onSpinWait();
            }
        };

        /** Returns when {@code arrived} holds or about {@code nanos} passed without it. */
        void waitFor(BooleanSupplier arrived, long nanos);
    }

    StreamDelivery(Executor threads) {
        this(threads, Linger.SPIN);
    }

    StreamDelivery(Executor threads, Linger linger) {
        this.threads = threads;
        this.linger = linger;
    }

    @Override
    public void execute(Runnable task) {
        this.tasks.offer(task);
        if (!this.draining.get() && this.draining.compareAndSet(false, true)) {
            this.threads.execute(this.drain);
        }
    }

    private void drain() {
        while (true) {
            Runnable task;
            while ((task = this.tasks.poll()) != null) {
                task.run();
            }
            this.linger.waitFor(this.taskWaits, LINGER_NANOS);
            if (!this.tasks.isEmpty()) {
                continue;
            }
            this.draining.set(false);
            // A task offered after our last look but before the flag was cleared found it set and started no
            // thread: take it on, unless a new thread already did.
            if (this.tasks.isEmpty() || !this.draining.compareAndSet(false, true)) {
                return;
            }
        }
    }
}
