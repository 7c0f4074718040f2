package io.rapace.core.session;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.core.codec.Codecs;
import io.rapace.core.codec.PostcardCodec;
import io.rapace.core.codec.PostcardWriter;
import io.rapace.core.codec.Unboxed;
import io.rapace.transport.shm.FrameHandler;
import io.rapace.transport.shm.PeerDiedException;
import io.rapace.transport.shm.PeerRole;
import io.rapace.transport.shm.PeerState;
import io.rapace.transport.shm.ShmTransport;
import io.rapace.transport.shm.TransportClosedException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * One RPC session over one {@link ShmTransport}, and the only reader of its frames.
 *
 * <pre>
 *   receive loop (one platform thread) ── transport.receive(router) ── FrameRouter
 *        channel 0 ─────────────► ControlChannel: Ping→Pong, Pong→ping(), CancelChannel→ServerCalls
 *        our parity ────────────► ClientCalls: answer/items → pending call (future, Flux)
 *        peer's parity ─────────► ServerCalls: DATA → handler on a handler thread; CANCEL → cancel
 * </pre>
 *
 * <p>The receive loop never waits for ring space: it copies what it keeps out of the frame (so the transport frees the
 * slot at once), completes futures and streams through a callback executor, wakes blocked callers
 * ({@link #callBlocking}) directly, runs {@linkplain MethodHandler#isNonBlocking() non-blocking} handlers
 * itself (their answer leaves at once when the ring has room, else from another thread) and hands other
 * requests to virtual threads. Calls made here are thread-safe. See {@code docs/session.md}.
 */
public final class RpcSession implements AutoCloseable {

    /** The logger, made at this class's first log line: a process that logs nothing never sets up the JDK's logging. */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(RpcSession.class.getName());
    }

    /** How long one receive waits for a frame before checking for a stop request. */
    private static final long RECEIVE_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** Transports that have a running session: one session per transport, since only one thread may read. */
    private static final Set<ShmTransport> OWNED = ConcurrentHashMap.newKeySet();

    private final ShmTransport transport;

    private final SessionOptions options;

    private final SessionStatus status;

    private final ClientCalls clientCalls;

    private final ServerCalls serverCalls;

    private final ControlChannel controlChannel;

    private final ScheduledThreadPoolExecutor deadlines;

    private final FrameHandler router;

    private final Thread receiveThread;

    private final ReceiveRole receiveRole;

    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();

    /** Set by close() (any thread), read by the receive loop: volatile for visibility. */
    private volatile boolean stopRequested;

    private RpcSession(ShmTransport transport, SessionOptions options) {
        this.transport = transport;
        this.options = options;
        String name = transport.role().name().toLowerCase(java.util.Locale.ROOT) + "-" + transport.path().getFileName();
        this.status = new SessionStatus("rapace session " + transport.role() + " on " + transport.path());
        SessionSender sender = new TransportSender(transport, options.sendTimeout());
        Executor async = virtualThreads("rapace-session-async-" + name);
        Executor callbacks = virtualThreads("rapace-session-callback-" + name);
        this.deadlines = new ScheduledThreadPoolExecutor(1, daemon("rapace-session-deadlines-" + name));
        this.deadlines.setRemoveOnCancelPolicy(true);
        ChannelIds channelIds = new ChannelIds(transport.role());
        this.receiveRole = new ReceiveRole(transport);
        Runnable wakeReader = this.receiveRole::wakeLoop;
        this.clientCalls = new ClientCalls(sender, channelIds, this.status, options.observer(), callbacks,
                this.deadlines, async, this.receiveRole::await, this.receiveRole, this.receiveRole::readWhileLingering, options.maxBufferedStreamItems(),
                new FullStreams(wakeReader));
        this.serverCalls = new ServerCalls(sender, options.dispatcher(), this.status, options.observer(),
                new HandlerThreads("rapace-handler-" + name + "-"), async,
                options.maxActiveServerCalls(), options.maxHeldServerRequests(), wakeReader, this.receiveRole.handlerReaders());
        this.controlChannel = new ControlChannel(sender, this.serverCalls, callbacks, this.deadlines, this.status);
        this.router = new FrameRouter(channelIds, this.controlChannel, this.clientCalls, this.serverCalls);
        this.receiveThread = Thread.ofPlatform().name("rapace-session-rx-" + name).daemon(true).unstarted(this::receiveLoop);
        this.receiveRole.attach(this.router, this.receiveThread, this::mustHoldOff);
    }

    /**
     * Starts a session over {@code transport}, which it owns from now on (it closes it when the session
     * ends). Starts the receive loop thread.
     *
     * @throws IllegalArgumentException when the transport is closed
     * @throws IllegalStateException when another session already runs over this transport
     */
    public static RpcSession start(ShmTransport transport, SessionOptions options) {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(options, "options");
        if (transport.isClosed()) {
            throw new IllegalArgumentException("transport on " + transport.path() + " is already closed");
        }
        if (!OWNED.add(transport)) {
            throw new IllegalStateException("transport on " + transport.path() + " already has a session: only one may read it");
        }
        try {
            RpcSession session = new RpcSession(transport, options);
            session.receiveThread.start();
            return session;
        }
        catch (RuntimeException | Error ex) {
            OWNED.remove(transport);
            throw ex;
        }
    }

    /**
     * Whether nobody may read the ring now (see {@code docs/session.md}, "Back-pressure"): a stream's buffer
     * is full (its subscriber must catch up first), or the server side takes no new requests while no call of
     * ours waits for an answer. The rules that keep two peers from waiting on each other for ever: while a
     * call of ours waits for its answer, or an answer of ours waits for a free slot (the peer's unread frames
     * pin slots of the shared pool), the server side never stops the reading (requests read meanwhile are
     * held, bounded, and refused beyond that), so answers to our calls and slots always get through.
     */
    private boolean mustHoldOff() {
        return this.clientCalls.streamsFull()
                || this.serverCalls.isHolding() && this.clientCalls.size() == 0 && !this.controlChannel.hasPendingPings()
                        && !this.serverCalls.answersStarveForSlots();
    }

    /** This side's role: HOST allocates odd channel ids from 1, PLUGIN even ids from 2. */
    public PeerRole role() {
        return this.transport.role();
    }

    /** The transport this session owns. */
    public ShmTransport transport() {
        return this.transport;
    }

    /** The options the session was started with. */
    public SessionOptions options() {
        return this.options;
    }

    /**
     * A unary call: a {@code DATA|EOS} request on a fresh channel. Completes (never on the receive loop)
     * with the {@code DATA|EOS} payload, or exceptionally with a {@link RapaceException}: the peer's
     * {@code ERROR|EOS}, {@code DEADLINE_EXCEEDED}, {@code PEER_DIED}, {@code SESSION_CLOSED}, or
     * {@code RESOURCE_EXHAUSTED} when the request could not be sent. Cancelling the future before the
     * answer cancels the call: the peer is told as for a cancelled stream (its handler sees
     * {@link ServerCall#isCancelled()} and its {@code onCancel} actions run) and a late answer is dropped.
     *
     * <p>A thread that waits on the future ({@code get}, {@code join}), or on a stage made from it, first reads the
     * ring for the answer itself, as {@link #callBlocking(int, byte[], Duration)} does: when it reads the answer, it
     * completes the future on its own thread (dependent stages made without an executor then run there), with no
     * callback thread in between. Stages of a future nobody waits on run on a callback thread.
     *
     * @param timeout the deadline; {@code null} means {@link SessionOptions#defaultCallTimeout()}
     * @throws IllegalArgumentException when {@code timeout} is zero or negative
     */
    public CompletableFuture<byte[]> call(int methodId, byte[] requestPayload, @Nullable Duration timeout) {
        Objects.requireNonNull(requestPayload, "requestPayload");
        return this.clientCalls.unary(methodId, requestPayload, timeoutNanos(timeout));
    }

    /**
     * A unary call like {@link #call}, waiting for the answer on the calling thread (platform or virtual).
     * Cheaper than {@code call(...).get()}, if only a little since that reads for its answer too: no future, and
     * the caller keeps its own deadline (no timer task).
     * Interrupting the caller cancels the call (the peer is told) and throws {@code CANCELLED}, with the
     * thread's interrupt status left set.
     *
     * @param timeout the deadline; {@code null} means {@link SessionOptions#defaultCallTimeout()}
     * @return the {@code DATA|EOS} payload
     * @throws RapaceException the peer's {@code ERROR|EOS}, {@code DEADLINE_EXCEEDED}, {@code CANCELLED},
     *     {@code PEER_DIED}, {@code SESSION_CLOSED}, or {@code RESOURCE_EXHAUSTED} when the request could not be sent
     * @throws IllegalArgumentException when {@code timeout} is zero or negative
     */
    public byte[] callBlocking(int methodId, byte[] requestPayload, @Nullable Duration timeout) {
        Objects.requireNonNull(requestPayload, "requestPayload");
        requireNotReadingTheRing(methodId);
        return this.clientCalls.unaryBlocking(methodId, requestPayload, timeoutNanos(timeout));
    }

    /**
     * A blocking unary call like {@link #callBlocking(int, byte[], Duration)} whose request is {@code request}
     * encoded by {@code requestCodec} and whose answer is decoded by {@code resultCodec}, without an array per call
     * on a platform thread: the request is encoded into the thread's reusable buffer and copied from it into the
     * frame, and the answer is decoded on the thread that reads it, straight from the frame (a small one through
     * that thread's reusable buffer). Typed clients call through this (or through the variants that take the arguments already written).
     *
     * @param timeout the deadline; {@code null} means {@link SessionOptions#defaultCallTimeout()}
     * @return the decoded answer
     * @throws RapaceException as {@link #callBlocking(int, byte[], Duration)}, and {@code INVALID_ARGUMENT} when the
     *     answer is not a valid encoding of {@code resultCodec}'s type
     * @throws io.rapace.core.codec.PostcardEncodeException when {@code request} cannot be encoded (nothing is sent)
     * @throws IllegalArgumentException when {@code timeout} is zero or negative
     */
    @SuppressWarnings("unchecked")
    public <A extends @Nullable Object, T extends @Nullable Object> T callBlocking(int methodId,
            PostcardCodec<A> requestCodec, A request, PostcardCodec<T> resultCodec, @Nullable Duration timeout) {
        Objects.requireNonNull(requestCodec, "requestCodec");
        long timeoutNanos = checked(methodId, resultCodec, timeout);
        PostcardWriter out = Codecs.takeWriter();
        try {
            requestCodec.encode(request, out);
        }
        catch (RuntimeException | Error encodeFailed) {
            Codecs.releaseWriter(out);
            throw encodeFailed;
        }
        return (T) this.clientCalls.unaryBlocking(methodId, out, timeoutNanos, resultCodec);  // gives the writer back
    }

    /**
     * A blocking call like {@link #callBlocking(int, PostcardCodec, Object, PostcardCodec, Duration)} whose request
     * the caller has encoded into {@code request}, the writer {@link Codecs#takeWriter()} gave this thread: each
     * argument of a typed call is written as it comes, with no array of them. This call gives the writer back in every
     * case, sent or refused.
     *
     * @throws RapaceException as {@link #callBlocking(int, PostcardCodec, Object, PostcardCodec, Duration)}
     * @throws IllegalArgumentException when {@code timeout} is zero or negative
     */
    @SuppressWarnings("unchecked")
    public <T extends @Nullable Object> T callBlocking(int methodId, PostcardWriter request,
            PostcardCodec<T> resultCodec, @Nullable Duration timeout) {
        long timeoutNanos = checkedBeforeSending(methodId, request, resultCodec, timeout);
        return (T) this.clientCalls.unaryBlocking(methodId, request, timeoutNanos, resultCodec);
    }

    /**
     * {@link #callBlocking(int, PostcardWriter, PostcardCodec, Duration)} for an answer of a primitive type (or the
     * unit), read as its raw bits by {@link Unboxed#decodeBits} on the thread that reads it, so that no box is made;
     * the caller turns them back into the value (a generated client's method does, in its own bytecode).
     *
     * @throws RapaceException as {@link #callBlocking(int, PostcardCodec, Object, PostcardCodec, Duration)}
     * @throws IllegalArgumentException when {@code timeout} is zero or negative, or {@code resultCodec} has no bits
     *     ({@link Unboxed#hasBits})
     */
    public long callBlockingForBits(int methodId, PostcardWriter request, PostcardCodec<?> resultCodec,
            @Nullable Duration timeout) {
        if (!Unboxed.hasBits(resultCodec)) {
            Codecs.releaseWriter(request);
            throw new IllegalArgumentException("the result codec " + resultCodec + " is not the codec of a primitive"
                    + " type or the unit: its answers have no bits");
        }
        long timeoutNanos = checkedBeforeSending(methodId, request, resultCodec, timeout);
        return this.clientCalls.unaryBlockingBits(methodId, request, timeoutNanos, resultCodec);
    }

    /** {@link #checked} for a request already written; the writer given back when the call is refused. */
    private long checkedBeforeSending(int methodId, PostcardWriter request, PostcardCodec<?> resultCodec,
            @Nullable Duration timeout) {
        try {
            Objects.requireNonNull(request, "request");
            return checked(methodId, resultCodec, timeout);
        }
        catch (RuntimeException refused) {
            if (request != null) {
                Codecs.releaseWriter(request);
            }
            throw refused;
        }
    }

    /**
     * The timeout in nanoseconds of a blocking call with codecs, once it may be made: a result codec, not from the
     * thread reading the ring, a positive timeout.
     */
    private long checked(int methodId, PostcardCodec<?> resultCodec, @Nullable Duration timeout) {
        Objects.requireNonNull(resultCodec, "resultCodec");
        requireNotReadingTheRing(methodId);
        return timeoutNanos(timeout);
    }

    private void requireNotReadingTheRing(int methodId) {
        if (this.receiveRole.isHeldByCurrentThread()) {
            throw new IllegalStateException("a blocking call to method " + Integer.toUnsignedString(methodId)
                    + " from the thread reading the ring of " + this.status.description() + " (a non-blocking handler) could"
                    + " never receive its answer: call the peer from a handler that may block (remove @NonBlocking),"
                    + " or use the asynchronous call");
        }
    }

    /**
     * A server-streaming call, sent when the returned Flux is subscribed (each subscription is one call).
     * Each {@code DATA} payload is an item; {@code EOS} alone, or a final {@code DATA|EOS} (item, then end),
     * completes; {@code ERROR|EOS} errors with a {@link RapaceException}. Cancelling the subscription sends
     * a cancel to the server. Items are delivered on a callback thread; at most
     * {@link SessionOptions#maxBufferedStreamItems()} wait for the subscriber: beyond that the session stops
     * reading its ring until the subscriber takes half of them (so the server's sends wait; other calls on
     * this session wait too meanwhile, see {@code docs/session.md}, "Back-pressure").
     *
     * @param timeout the deadline of the whole stream; {@code null} means {@link SessionOptions#defaultCallTimeout()}
     * @throws IllegalArgumentException when {@code timeout} is zero or negative
     */
    public Flux<byte[]> callStreaming(int methodId, byte[] requestPayload, @Nullable Duration timeout) {
        Objects.requireNonNull(requestPayload, "requestPayload");
        return this.clientCalls.streaming(methodId, requestPayload, timeoutNanos(timeout), ClientCalls::payloadOf);
    }

    /**
     * A server-streaming call like {@link #callStreaming(int, byte[], Duration)}, whose items are postcard values
     * decoded by {@code itemCodec} straight from the mapped frames, on the thread that reads the ring (no
     * intermediate array per item on a platform thread: a small item goes through that thread's reusable buffer,
     * as a blocking call's answer does). An item that does not decode fails the stream with
     * {@code INVALID_ARGUMENT} and cancels the call at the server.
     *
     * @throws IllegalArgumentException when {@code timeout} is zero or negative
     */
    public <T> Flux<T> callStreaming(int methodId, byte[] requestPayload, @Nullable Duration timeout,
            PostcardCodec<T> itemCodec) {
        Objects.requireNonNull(requestPayload, "requestPayload");
        Objects.requireNonNull(itemCodec, "itemCodec");
        return this.clientCalls.streaming(methodId, requestPayload, timeoutNanos(timeout),
                frame -> ThreadScratch.decode(itemCodec, frame));
    }

    /** Sends a Ping on channel 0; completes with the round-trip time when the peer answers Pong. */
    public CompletableFuture<Duration> ping(Duration timeout) {
        SessionOptions.requirePositive("timeout", timeout);
        return this.controlChannel.ping(timeout);
    }

    /** The session's state. */
    public SessionState state() {
        return this.status.get();
    }

    /**
     * What this side knows of its peer: {@link PeerState#STALLED} while its heartbeat stands still (calls fail by
     * their own deadlines, the session carries on when it moves again), {@link PeerState#GONE} once the session
     * ended because the peer is gone; {@code null} when the session was closed otherwise.
     */
    public @Nullable PeerState peerState() {
        if (this.status.get() == SessionState.PEER_DIED) {
            return PeerState.GONE;
        }
        try {
            return this.transport.peerState();
        }
        catch (TransportClosedException closed) {
            return this.status.get() == SessionState.PEER_DIED ? PeerState.GONE : null;
        }
    }

    /**
     * The peer's process is gone (its exit was seen, e.g. by {@link Process#onExit()}): the session ends at once as
     * {@link SessionState#PEER_DIED}; every pending call and stream (typed clients and raw calls alike) fails now
     * with {@code PEER_DIED} naming {@code reason}, as does every later call; running handlers are cancelled and
     * the receive loop ends and closes the transport. Idempotent; a no-op once the session ended.
     */
    public void peerGone(String reason) {
        Objects.requireNonNull(reason, "reason");
        if (!this.status.peerGone(reason)) {
            return;
        }
        Log.LOG.log(System.Logger.Level.WARNING, "{0}: the peer is gone: {1}", this.status.description(), reason);
        failEverything(new RapaceException(ErrorCode.PEER_DIED, "the peer of " + this.status.description()
                + " is gone: " + reason));
        this.transport.markPeerGone(reason);
        this.stopRequested = true;
    }

    /**
     * How long the peer's heartbeat has not moved (on this process's monotonic clock), or {@code null} when the
     * peer has not started or the transport is closed.
     */
    public @Nullable Duration peerHeartbeatAge() {
        try {
            long age = this.transport.peerHeartbeatAgeNanos();
            return age < 0 ? null : Duration.ofNanos(age);
        }
        catch (TransportClosedException closed) {
            return null;
        }
    }

    /** Outgoing calls (unary and streams) waiting for their answer. */
    public int pendingCalls() {
        return this.clientCalls.size();
    }

    /** Answers to blocking calls that their callers read from the ring themselves (package-private, for tests). */
    long answersReadByTheirCallers() {
        return this.receiveRole.answersReadByTheirCallers();
    }

    /** How many times the receive loop, idle for long, waited without the receive role (in the kernel, or parked; for tests). */
    long receiveLoopSleepsWithoutRole() {
        return this.receiveRole.sleepsWithoutRole();
    }

    /** How many leading callers found the peer's receiver just woken by a send and yielded at once (for tests). */
    long leadsAfterPeerWake() {
        return this.receiveRole.leadsAfterPeerWake();
    }

    /** How many times a blocking caller woke the receive loop asleep holding the role, to take it (for tests). */
    long receiveLoopWakesForRole() {
        return this.receiveRole.loopWakesForRole();
    }

    /** How many frames handler threads read while waiting for their next request (for tests). */
    long framesReadByHandlerThreads() {
        return this.receiveRole.handlerReaders().framesRead();
    }

    /** How many frames streams' delivery threads read while waiting for their next item (for tests). */
    long framesReadByStreamDeliverers() {
        return this.receiveRole.framesReadByStreamDeliverers();
    }

    /**
     * Incoming calls in progress: handlers running, answers waiting for ring space, and requests held until
     * a place frees up (see {@link SessionOptions#maxActiveServerCalls()}).
     */
    public int activeServerCalls() {
        return this.serverCalls.size();
    }

    /** Requests read but held until a place frees up (package-private, for tests). */
    int heldServerRequests() {
        return this.serverCalls.heldCount();
    }

    /** Answers waiting for ring space right now (package-private, for tests). */
    int repliesWaitingForRoom() {
        return this.serverCalls.repliesWaiting();
    }

    /**
     * Answers (responses, stream ends, errors) that could not be sent and were dropped: only when the peer
     * died or the session closed while they waited (an answer waits for ring space as long as the peer lives),
     * or protocol replies past their bound (see {@code docs/session.md}).
     */
    public long responseSendFailures() {
        return this.serverCalls.responseSendFailures();
    }

    /**
     * Completes when the session has ended and its transport is closed: normally after {@link #close}
     * (or when the transport was closed under it), exceptionally with a {@link RapaceException}:
     * {@code PEER_DIED} when the peer died, {@code INTERNAL} when the receive loop failed unexpectedly.
     * The session only completes this future and never reads it: completing it from outside does not
     * end the session (use {@link #close}).
     */
    public CompletableFuture<Void> closeFuture() {
        return this.closeFuture;
    }

    /** {@link #close(Duration)} with {@link SessionOptions#closeGrace()}. */
    @Override
    public void close() {
        close(this.options.closeGrace());
    }

    /**
     * Closes gracefully: stops accepting requests (answered Unavailable) and calls (failed
     * SESSION_CLOSED), waits up to {@code grace} for running handlers, cancels those still running, fails
     * every pending call with SESSION_CLOSED, stops the receive loop and then closes the transport.
     * Returns when all that is done; idempotent.
     */
    public void close(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        boolean onReceiveThread = Thread.currentThread() == this.receiveThread;
        if (this.status.transition(SessionState.OPEN, SessionState.CLOSING)) {
            try {
                // The handler threads may not have ended yet with no call left (idle ones, or one just done reading
                // for a next request): only calls still running are worth a warning.
                if (!this.serverCalls.drain(grace) && this.serverCalls.size() > 0) {
                    Log.LOG.log(System.Logger.Level.WARNING, "{0}: {1} handler(s) still running after the close grace of {2}; cancelling them",
                            this.status.description(), this.serverCalls.size(), grace);
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            this.serverCalls.abortAll();
            this.status.end(SessionState.CLOSED);
            failEverything(new RapaceException(ErrorCode.SESSION_CLOSED, this.status.description() + " was closed"));
            this.stopRequested = true;
            // The loop may sleep in the kernel for up to its turn (10 s) when idle: wake it so that it sees the stop now.
            this.transport.wakeSleepingReceive();
            this.receiveRole.wakeLoop();
        }
        if (!onReceiveThread) {
            awaitReceiveLoop();
        }
    }

    private void awaitReceiveLoop() {
        boolean interrupted = false;
        while (this.receiveThread.isAlive()) {
            try {
                this.receiveThread.join();
            }
            catch (InterruptedException ex) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void receiveLoop() {
        RapaceException failure = null;
        try {
            while (!this.stopRequested) {
                this.receiveRole.loopOnce(RECEIVE_TIMEOUT_NANOS);
            }
        }
        catch (PeerDiedException ex) {
            failure = new RapaceException(ErrorCode.PEER_DIED, "the peer of " + this.status.description() + " died: "
                    + ex.getMessage(), ex);
            this.status.peerGone(ex.getMessage());
        }
        catch (TransportClosedException ex) {
            Log.LOG.log(System.Logger.Level.DEBUG, "{0}: transport closed under the session", this.status.description());
            this.status.end(SessionState.CLOSED);
        }
        catch (RuntimeException | Error ex) {
            Log.LOG.log(System.Logger.Level.ERROR, this.status.description() + ": receive loop failed", ex);
            failure = new RapaceException(ErrorCode.INTERNAL, this.status.description() + " failed: " + ex, ex);
            this.status.end(SessionState.CLOSED);
        }
        finally {
            finishAfterLoop(failure);
        }
    }

    /** Runs on the receive thread once it stopped reading: only now is the transport closed. */
    private void finishAfterLoop(@Nullable RapaceException loopFailure) {
        this.status.end(SessionState.CLOSED);
        // Told the peer is gone (peerGone) rather than finding it out: the session still ends as a failure.
        RapaceException failure = loopFailure != null || this.status.get() != SessionState.PEER_DIED ? loopFailure
                : this.status.rejection();
        RapaceException reason = failure != null ? failure
                : new RapaceException(ErrorCode.SESSION_CLOSED, this.status.description() + " was closed");
        try {
            failEverything(reason);
            this.serverCalls.abortAll();
            this.serverCalls.endInlineWatch();
            this.deadlines.shutdownNow();
            this.serverCalls.reportLosses(this.status.description());
        }
        catch (RuntimeException ex) {
            Log.LOG.log(System.Logger.Level.WARNING, this.status.description() + ": cleanup failed", ex);
        }
        finally {
            try {
                this.transport.close();
            }
            catch (RuntimeException ex) {
                Log.LOG.log(System.Logger.Level.WARNING, this.status.description() + ": closing the transport failed", ex);
            }
            OWNED.remove(this.transport);
            if (failure != null) {
                this.closeFuture.completeExceptionally(failure);
            }
            else {
                this.closeFuture.complete(null);
            }
        }
    }

    private void failEverything(RapaceException reason) {
        this.clientCalls.failAll(reason);
        this.controlChannel.failAll(reason);
    }

    private long timeoutNanos(@Nullable Duration timeout) {
        Duration effective = timeout != null ? timeout : this.options.defaultCallTimeout();
        SessionOptions.requirePositive("timeout", effective);
        return effective.toNanos();
    }

    private static Executor virtualThreads(String name) {
        ThreadFactory factory = Thread.ofVirtual().name(name).factory();
        return task -> factory.newThread(task).start();
    }

    private static ThreadFactory daemon(String name) {
        return Thread.ofPlatform().name(name).daemon(true).factory();
    }
}
