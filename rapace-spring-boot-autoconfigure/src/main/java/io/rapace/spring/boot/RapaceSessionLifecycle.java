package io.rapace.spring.boot;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.core.runtime.HostProcessWatch;
import io.rapace.core.session.RpcSession;
import io.rapace.core.session.SessionOptions;
import io.rapace.transport.shm.ShmTransport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * Owns the plugin's segment and its {@link RpcSession}, as part of the application context: {@link #start()}
 * opens the host's segment (through the {@link RapaceTransportFactory}) and starts a session with the options
 * supplied at that moment (the dispatcher of the service beans, customised); {@link #stop()} closes the session
 * gracefully, letting in-flight calls finish within the shutdown grace period, and closes the segment. Nothing
 * else opens or closes the segment. A stopped lifecycle starts again by opening the segment again.
 *
 * <p>When the session ends on its own because the host went away, a {@link RapaceHostGoneEvent} is published and
 * the {@link RapaceHostExitHandler} is told, on a thread of their own. {@link RapaceSessionStartedEvent} and
 * {@link RapaceSessionStoppedEvent} follow {@link #start()} and {@link #stop()}.
 *
 * <p>The lifecycle counts as running from {@link #start()} to {@link #stop()}, even after the session has
 * ended on its own, so that the context's close still releases the segment. The session itself exists only
 * while it runs: {@link #session()} hands it out.
 */
public class RapaceSessionLifecycle implements SmartLifecycle, ApplicationEventPublisherAware {

    /** The lifecycle phase: last to start, first to stop. */
    public static final int PHASE = Integer.MAX_VALUE;

    private static final Log logger = LogFactory.getLog(RapaceSessionLifecycle.class);

    private final RapaceShmPath path;

    private final RapaceTransportFactory transportFactory;

    private final Supplier<SessionOptions> options;

    private final Duration shutdownGracePeriod;

    private final RapaceHostExitHandler hostExitHandler;

    private volatile ApplicationEventPublisher eventPublisher = (event) -> {
    };

    // Serialises start() and stop(). Never taken on the session's threads: stop() joins the receive thread
    // while holding it, so a callback that waited for it would deadlock a stop that coincides with the session's end.
    private final ReentrantLock lock = new ReentrantLock();

    // From start() to stop(). Volatile: isRunning() reads it unlocked.
    private volatile boolean running;

    // The segment opened by the last start(), open or closed; null before the first start. Volatile: health and
    // meters read it unlocked.
    private volatile @Nullable ShmTransport transport;

    // The running session, null once it ended. Taken by compare-and-set, either by stop() or by the ended
    // callback, whichever comes first: the callback needs no lock. Read by health checks and clients.
    private final AtomicReference<@Nullable RpcSession> session = new AtomicReference<>();

    // The session started last, kept after it ended so that health can report its final state.
    private volatile @Nullable RpcSession lastSession;

    // Set before our own close so that the session's end is not mistaken for the host going away.
    private volatile boolean stopping;

    /**
     * A lifecycle for sessions over the segment at {@code path}.
     *
     * @param path the segment file, opened by each {@link #start()}
     * @param transportFactory opens the segment
     * @param options the session options, dispatcher included; asked for at each {@link #start()}
     * @param shutdownGracePeriod how long a stop waits for in-flight calls
     * @param hostExitHandler told when the host goes away
     */
    public RapaceSessionLifecycle(RapaceShmPath path, RapaceTransportFactory transportFactory,
            Supplier<SessionOptions> options, Duration shutdownGracePeriod, RapaceHostExitHandler hostExitHandler) {
        Assert.notNull(path, "'path' must not be null");
        Assert.notNull(transportFactory, "'transportFactory' must not be null");
        Assert.notNull(options, "'options' must not be null");
        Assert.notNull(shutdownGracePeriod, "'shutdownGracePeriod' must not be null");
        Assert.isTrue(!shutdownGracePeriod.isNegative(),
                () -> "'shutdownGracePeriod' must not be negative, was " + shutdownGracePeriod);
        Assert.notNull(hostExitHandler, "'hostExitHandler' must not be null");
        this.path = path;
        this.transportFactory = transportFactory;
        this.options = options;
        this.shutdownGracePeriod = shutdownGracePeriod;
        this.hostExitHandler = hostExitHandler;
    }

    @Override
    public void setApplicationEventPublisher(ApplicationEventPublisher eventPublisher) {
        Assert.notNull(eventPublisher, "'eventPublisher' must not be null");
        this.eventPublisher = eventPublisher;
    }

    /**
     * Opens the segment, waiting up to {@code rapace.shm.wait-timeout} for the host, and starts the session.
     *
     * @throws io.rapace.transport.shm.ShmOpenException when the segment cannot be opened
     */
    @Override
    public void start() {
        RpcSession started;
        this.lock.lock();
        try {
            if (this.running) {
                return;
            }
            this.stopping = false;
            ShmTransport opened = this.transportFactory.open(this.path);
            try {
                started = RpcSession.start(opened, this.options.get());
            }
            catch (RuntimeException | Error ex) {
                opened.close();
                throw ex;
            }
            HostProcessWatch.start(started);
            this.transport = opened;
            this.session.set(started);
            this.lastSession = started;
            this.running = true;
            started.closeFuture().whenComplete((result, failure) -> onSessionEnded(started, opened, failure));
            logger.info("rapace: session started on " + opened.path() + " ("
                    + RapaceTransportFactory.describe(opened.config()) + ")");
        }
        finally {
            this.lock.unlock();
        }
        this.eventPublisher.publishEvent(new RapaceSessionStartedEvent(this, started, this.path.path()));
    }

    /** Closes the session (in-flight calls get the shutdown grace period) and the segment. */
    @Override
    public void stop() {
        @Nullable RpcSession stopped;
        this.lock.lock();
        try {
            if (!this.running) {
                return;
            }
            this.stopping = true;
            RpcSession running = this.session.getAndSet(null);
            if (running != null) {
                logger.info("rapace: closing the session on " + this.path.path() + " (in-flight calls get "
                        + this.shutdownGracePeriod.toMillis() + " ms to finish)");
                running.close(this.shutdownGracePeriod);
            }
            ShmTransport opened = this.transport;
            if (opened != null) {
                // The one place that closes the segment (the session also lets go of it as it ends).
                opened.close();
            }
            stopped = this.lastSession;
            this.running = false;
        }
        finally {
            this.lock.unlock();
        }
        if (stopped != null) {
            this.eventPublisher.publishEvent(new RapaceSessionStoppedEvent(this, stopped, this.path.path()));
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** The segment file that each start opens. */
    public RapaceShmPath path() {
        return this.path;
    }

    /**
     * The segment opened by the last start, still open while the session runs, closed after a stop or once the
     * session ended; null before the first start. A restart replaces it.
     */
    public @Nullable ShmTransport transport() {
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
            throw new IllegalStateException("rapace: the session over " + this.path.path()
                    + " is not running (the application context is not started yet, or the host went away)");
        }
        return current;
    }

    /**
     * Tells a host that closed from one that died. rapace v1.0 has no close frame: either way the host's
     * heartbeat stops. A host that closes cleanly removes its segment file (as {@code RapaceHost} does), a
     * host that crashed leaves it behind; the transport tells which ({@link ShmTransport#peerClosedSegment()}),
     * not the file's absence now (this plugin removes the file of a host that died).
     */
    private static RapaceHostExit classify(ShmTransport transport, @Nullable Throwable failure) {
        Throwable cause = (failure instanceof CompletionException && failure.getCause() != null)
                ? failure.getCause() : failure;
        if (cause == null) {
            return RapaceHostExit.closed();
        }
        if (cause instanceof RapaceException rapace && rapace.errorCode() == ErrorCode.PEER_DIED
                && transport.peerClosedSegment()) {
            return RapaceHostExit.closed();
        }
        return RapaceHostExit.died(cause);
    }

    /**
     * Runs on the session's receive thread as it ends. Takes no lock: {@link #stop()} may hold its lock while it
     * joins this very thread. Whoever takes the session first (this callback or stop) decides what the end means.
     */
    private void onSessionEnded(RpcSession ended, ShmTransport transport, @Nullable Throwable failure) {
        if (this.stopping || !this.session.compareAndSet(ended, null)) {
            return;
        }
        RapaceHostExit exit = classify(transport, failure);
        logger.info("rapace: session over " + transport.path() + " ended: " + exit.describe());
        if (exit.died() && transport.removeSegmentFile()) {
            // Only once no process holds the host's lock, and only the very file this plugin mapped.
            logger.info("rapace: removed the segment file " + transport.path() + " of a host that died");
        }
        // Off the session's threads: a listener or the handler may close the context, which stops this lifecycle.
        Thread.ofPlatform().name("rapace-host-exit").daemon(false).start(() -> {
            try {
                this.eventPublisher.publishEvent(new RapaceHostGoneEvent(this, ended, transport.path(), exit));
            }
            finally {
                this.hostExitHandler.onHostExit(exit);
            }
        });
    }
}
