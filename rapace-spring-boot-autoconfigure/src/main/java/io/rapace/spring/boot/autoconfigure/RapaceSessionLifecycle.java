package io.rapace.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.core.runtime.HostProcessWatch;
import io.rapace.core.session.RpcSession;
import io.rapace.core.session.SessionOptions;
import io.rapace.transport.shm.ShmTransport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * Runs the plugin's {@link RpcSession} as part of the application context: {@link #start()} starts the
 * session (its receive loop and the dispatcher) once every other bean is ready; {@link #stop()} closes it
 * gracefully, letting in-flight calls finish within the shutdown grace period, and then closes the segment.
 * When the session ends on its own because the host went away, the {@link RapaceHostExitHandler} is told
 * on a thread of its own.
 *
 * <p>The lifecycle counts as running from {@link #start()} to {@link #stop()}, even after the session has
 * ended on its own, so that the context's close still releases the segment. The session itself exists only
 * while it runs: {@link #session()} hands it out.
 */
public class RapaceSessionLifecycle implements SmartLifecycle {

    /** The lifecycle phase: last to start, first to stop. */
    public static final int PHASE = Integer.MAX_VALUE;

    private static final Log logger = LogFactory.getLog(RapaceSessionLifecycle.class);

    private final ShmTransport transport;

    private final SessionOptions options;

    private final Duration shutdownGracePeriod;

    private final RapaceHostExitHandler hostExitHandler;

    // Serialises start() and stop(). Never taken on the session's threads: stop() joins the receive thread
    // while holding it, so a callback that waited for it would deadlock a stop that coincides with the session's end.
    private final ReentrantLock lock = new ReentrantLock();

    // Non-null between start() and stop(); released by stop(). Volatile: isRunning() reads it unlocked.
    private volatile @Nullable CountDownLatch keepAlive;

    // The running session, null once it ended. Taken by compare-and-set, either by stop() or by the ended
    // callback, whichever comes first: the callback needs no lock. Read by health checks and clients.
    private final AtomicReference<@Nullable RpcSession> session = new AtomicReference<>();

    // The session started last, kept after it ended so that health can report its final state.
    private volatile @Nullable RpcSession lastSession;

    // Set before our own close so that the session's end is not mistaken for the host going away.
    private volatile boolean stopping;

    /**
     * A lifecycle for a session over {@code transport} with {@code options}.
     *
     * @param transport the opened segment; closed by {@link #stop()}
     * @param options the session options, dispatcher included
     * @param shutdownGracePeriod how long a stop waits for in-flight calls
     * @param hostExitHandler told when the host goes away
     */
    public RapaceSessionLifecycle(ShmTransport transport, SessionOptions options, Duration shutdownGracePeriod,
            RapaceHostExitHandler hostExitHandler) {
        Assert.notNull(transport, "'transport' must not be null");
        Assert.notNull(options, "'options' must not be null");
        Assert.notNull(shutdownGracePeriod, "'shutdownGracePeriod' must not be null");
        Assert.isTrue(!shutdownGracePeriod.isNegative(),
                () -> "'shutdownGracePeriod' must not be negative, was " + shutdownGracePeriod);
        Assert.notNull(hostExitHandler, "'hostExitHandler' must not be null");
        this.transport = transport;
        this.options = options;
        this.shutdownGracePeriod = shutdownGracePeriod;
        this.hostExitHandler = hostExitHandler;
    }

    @Override
    public void start() {
        this.lock.lock();
        try {
            if (this.keepAlive != null) {
                return;
            }
            Assert.state(!this.transport.isClosed(), () -> "rapace: the segment " + this.transport.path()
                    + " is closed; a stopped rapace session cannot be restarted");
            this.stopping = false;
            RpcSession started = RpcSession.start(this.transport, this.options);
            HostProcessWatch.start(started);
            this.session.set(started);
            this.lastSession = started;
            this.keepAlive = startKeepAlive();
            started.closeFuture().whenComplete((result, failure) -> onSessionEnded(started, failure));
            logger.info("rapace: session started on " + this.transport.path() + " ("
                    + RapaceTransportFactory.describe(this.transport.config()) + ")");
        }
        finally {
            this.lock.unlock();
        }
    }

    @Override
    public void stop() {
        this.lock.lock();
        try {
            this.stopping = true;
            RpcSession running = this.session.getAndSet(null);
            if (running != null) {
                logger.info("rapace: closing the session on " + this.transport.path() + " (in-flight calls get "
                        + this.shutdownGracePeriod.toMillis() + " ms to finish)");
                running.close(this.shutdownGracePeriod);
            }
            this.transport.close();
            CountDownLatch latch = this.keepAlive;
            this.keepAlive = null;
            if (latch != null) {
                latch.countDown();
            }
        }
        finally {
            this.lock.unlock();
        }
    }

    @Override
    public boolean isRunning() {
        return this.keepAlive != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** The segment this lifecycle serves. */
    public ShmTransport transport() {
        return this.transport;
    }

    /** The running session, or null when not started or already ended. */
    public @Nullable RpcSession currentSession() {
        return this.session.get();
    }

    /** The session started last, running or ended, or null when none has started yet. */
    public @Nullable RpcSession lastSession() {
        return this.lastSession;
    }

    /**
     * The running session.
     *
     * @throws IllegalStateException when the session has not started yet or has ended
     */
    public RpcSession session() {
        RpcSession current = this.session.get();
        if (current == null) {
            throw new IllegalStateException("rapace: the session over " + this.transport.path()
                    + " is not running (the application context is not started yet, or the host went away)");
        }
        return current;
    }

    /**
     * The session's threads are daemons; a plugin without a web server would end as soon as {@code main}
     * returns. One non-daemon thread waits until {@link #stop()} so that the plugin lives as long as the
     * application context (whether or not the session has ended).
     */
    private static CountDownLatch startKeepAlive() {
        CountDownLatch latch = new CountDownLatch(1);
        Thread.ofPlatform().name("rapace-keep-alive").daemon(false).start(() -> {
            try {
                latch.await();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        return latch;
    }

    /**
     * Tells a host that closed from one that died. rapace v1.0 has no close frame: either way the host's
     * heartbeat stops. A host that closes cleanly removes its segment file (as {@code RapaceHost} does), a
     * host that crashed leaves it behind; so a stale heartbeat with the file gone counts as a close.
     */
    private RapaceHostExit classify(@Nullable Throwable failure) {
        Throwable cause = (failure instanceof CompletionException && failure.getCause() != null)
                ? failure.getCause() : failure;
        if (cause == null) {
            return RapaceHostExit.closed();
        }
        if (cause instanceof RapaceException rapace && rapace.errorCode() == ErrorCode.PEER_DIED
                && this.transport.peerClosedSegment()) {
            return RapaceHostExit.closed();
        }
        return RapaceHostExit.died(cause);
    }

    /**
     * Runs on the session's receive thread as it ends. Takes no lock: {@link #stop()} may hold its lock while it
     * joins this very thread. Whoever takes the session first (this callback or stop) decides what the end means.
     */
    private void onSessionEnded(RpcSession ended, @Nullable Throwable failure) {
        if (this.stopping || !this.session.compareAndSet(ended, null)) {
            return;
        }
        RapaceHostExit exit = classify(failure);
        logger.info("rapace: session over " + this.transport.path() + " ended: " + exit.describe());
        if (exit.died() && this.transport.removeSegmentFile()) {
            // Only once no process holds the host's lock, and only the very file this plugin mapped.
            logger.info("rapace: removed the segment file " + this.transport.path() + " of a host that died");
        }
        // Off the session's threads: the handler may close the context, which stops this lifecycle.
        Thread.ofPlatform().name("rapace-host-exit").daemon(false)
            .start(() -> this.hostExitHandler.onHostExit(exit));
    }
}
