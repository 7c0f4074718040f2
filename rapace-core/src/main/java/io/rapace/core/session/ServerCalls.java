package io.rapace.core.session;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.transport.shm.Descriptor;
import io.rapace.transport.shm.Frame;
import io.rapace.transport.shm.FrameFlags;

/**
 * The incoming side of a session: turns requests arriving on the peer's channels into
 * {@link InboundCall}s run on virtual threads (or, for {@linkplain MethodHandler#isNonBlocking() non-blocking}
 * handlers, on the receive thread itself), routes cancellations to them, and drains them on close.
 */
final class ServerCalls implements InboundCall.Listener {

    private static final System.Logger LOG = System.getLogger(ServerCalls.class.getName());

    private static final byte[] EMPTY = new byte[0];

    private final CallTable<InboundCall> active = new CallTable<>();

    private final FrameSender sender;

    private final Dispatcher dispatcher;

    private final SessionStatus status;

    private final SessionObserver observer;

    private final ExecutorService handlers;

    private final Executor async;

    private final AtomicLong responseSendFailures = new AtomicLong();

    private final InlineHandlers inline = new InlineHandlers();

    private final ProtocolReplies replies;

    /** Requests whose handlers may run (or wait to) on handler threads at once; more are refused. */
    private final int maxActive;

    ServerCalls(FrameSender sender, Dispatcher dispatcher, SessionStatus status, SessionObserver observer,
            ExecutorService handlers, Executor async) {
        this(sender, dispatcher, status, observer, handlers, async, SessionOptions.DEFAULT_MAX_ACTIVE_SERVER_CALLS);
    }

    ServerCalls(FrameSender sender, Dispatcher dispatcher, SessionStatus status, SessionObserver observer,
            ExecutorService handlers, Executor async, int maxActive) {
        this.replies = new ProtocolReplies(sender, async);
        this.maxActive = maxActive;
        this.sender = sender;
        this.dispatcher = dispatcher;
        this.status = status;
        this.observer = observer;
        this.handlers = handlers;
        this.async = async;
    }

    /** Number of requests whose handlers have not finished. */
    int size() {
        return this.active.size();
    }

    /** Responses, stream ends and error frames that could not be sent (or were dropped, see {@link ProtocolReplies}). */
    long responseSendFailures() {
        return this.responseSendFailures.get() + this.replies.dropped();
    }

    /** The bounded sender of the replies the session owes for frames it did not ask for; shared with the control channel. */
    ProtocolReplies replies() {
        return this.replies;
    }

    /**
     * A frame arrived on one of the peer's channels. Runs on the thread reading the ring: never blocks (it
     * sends only what fits now, see {@link ProtocolReplies} and the inline answers of {@link InboundCall}).
     */
    void onFrame(Frame frame) {
        int channelId = frame.channelId();
        if (frame.hasFlag(FrameFlags.CANCEL)) {
            cancel(channelId);
            return;
        }
        if (!frame.hasFlag(FrameFlags.DATA)) {
            LOG.log(System.Logger.Level.DEBUG, "ignored frame without DATA on channel {0} (flags 0x{1})",
                    Integer.toUnsignedString(channelId), Integer.toHexString(frame.flags()));
            return;
        }
        if (this.active.containsKey(channelId)) {
            LOG.log(System.Logger.Level.DEBUG, "ignored extra DATA frame on active server channel {0} (client streaming is not part of v1.0)",
                    Integer.toUnsignedString(channelId));
            return;
        }
        int methodId = frame.methodId();
        // Copy now: the transport frees the slot as soon as onFrame returns (Rust peers need it back promptly).
        byte[] request = frame.payloadLength() == 0 ? EMPTY : frame.payloadBytes();
        if (!this.status.isOpen()) {
            refuse(channelId, methodId);
            return;
        }
        MethodHandler handler;
        try {
            handler = this.dispatcher.lookup(methodId);
        }
        catch (RuntimeException ex) {
            LOG.log(System.Logger.Level.WARNING, "dispatcher failed to look up method " + Integer.toUnsignedString(methodId), ex);
            answerError(channelId, ErrorCode.INTERNAL, "dispatcher failed to look up method "
                    + Integer.toUnsignedString(methodId) + ": " + ex);
            report(methodId, ErrorCode.INTERNAL, 0);
            return;
        }
        if (handler == null) {
            answerError(channelId, ErrorCode.UNIMPLEMENTED, "Unknown method_id: " + Integer.toUnsignedString(methodId));
            report(methodId, ErrorCode.UNIMPLEMENTED, 0);
            return;
        }
        if (handler.isNonBlocking() && this.inline.allows(handler)) {
            runInline(new InboundCall(this.sender, this, this.async, channelId, methodId, request, frame.deadlineNs(), true),
                    handler);
            return;
        }
        if (this.active.size() >= this.maxActive) {
            // A peer that sends faster than handlers finish must not grow threads and heap without bound.
            answerError(channelId, ErrorCode.RESOURCE_EXHAUSTED, this.maxActive + " requests are already in progress;"
                    + " request for method " + Integer.toUnsignedString(methodId) + " refused");
            report(methodId, ErrorCode.RESOURCE_EXHAUSTED, 0);
            return;
        }
        InboundCall call = new InboundCall(this.sender, this, this.async, channelId, methodId, request, frame.deadlineNs());
        this.active.put(channelId, call);
        try {
            this.handlers.execute(() -> run(call, handler));
        }
        catch (RejectedExecutionException closing) {
            this.active.remove(channelId, call);
            refuse(channelId, methodId);
        }
    }

    private void refuse(int channelId, int methodId) {
        answerError(channelId, ErrorCode.UNAVAILABLE, "session is closing; request for method "
                + Integer.toUnsignedString(methodId) + " not accepted");
        report(methodId, ErrorCode.UNAVAILABLE, 0);
    }

    /** Cancels the running call on {@code channelId}, if any (CANCEL frame or CancelChannel). */
    void cancel(int channelId) {
        InboundCall call = this.active.get(channelId);
        if (call != null) {
            call.cancel();
        }
    }

    /** Stops accepting handlers and waits up to {@code grace} for the running ones; true when all finished. */
    boolean drain(Duration grace) throws InterruptedException {
        this.handlers.shutdown();
        return this.handlers.awaitTermination(grace.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Cancels every running call (its ending frame is not sent) and interrupts the handlers. */
    void abortAll() {
        for (InboundCall call : this.active) {
            call.endSilently();
        }
        this.handlers.shutdownNow();
    }

    @Override
    public void onEnded(InboundCall call, ErrorCode outcome) {
        if (!call.isInline()) {
            this.active.remove(call.channelId(), call);
        }
        report(call.methodId(), outcome, System.nanoTime() - call.startNanos());
    }

    @Override
    public void onResponseSendFailed(InboundCall call, RapaceException failure) {
        this.responseSendFailures.incrementAndGet();
        LOG.log(System.Logger.Level.WARNING, "could not send the answer of method {0} on channel {1}: {2}",
                Integer.toUnsignedString(call.methodId()), Integer.toUnsignedString(call.channelId()), failure.getMessage());
        try {
            this.observer.onResponseSendFailed(call.methodId(), failure);
        }
        catch (RuntimeException ex) {
            LOG.log(System.Logger.Level.WARNING, "session observer failed", ex);
        }
    }

    /**
     * Runs a non-blocking handler here, on the receive thread: no hand-off, no registration (no cancel can
     * arrive while it runs, since this thread is the one that would read it). A slow run is reported.
     */
    private void runInline(InboundCall call, MethodHandler handler) {
        run(call, handler);
        long took = System.nanoTime() - call.startNanos();
        if (took > InlineHandlers.WARN_NANOS) {
            this.inline.ranSlow(handler, took);
        }
    }

    private void run(InboundCall call, MethodHandler handler) {
        Throwable thrown = null;
        try {
            handler.handle(call);
        }
        catch (Throwable ex) {
            thrown = ex;
        }
        call.afterHandler(thrown);
    }

    /** Sends an error answer without ever blocking the receive loop (bounded, see {@link ProtocolReplies}). */
    private void answerError(int channelId, ErrorCode code, String message) {
        byte[] payload = ErrorPayload.of(code, message).encode();
        this.replies.send(channelId, 0, FrameFlags.ERROR | FrameFlags.EOS, payload,
                code + " answer on channel " + Integer.toUnsignedString(channelId));
    }

    private void report(int methodId, ErrorCode outcome, long durationNanos) {
        try {
            this.observer.onServerCallCompleted(methodId, outcome, durationNanos);
        }
        catch (RuntimeException ex) {
            LOG.log(System.Logger.Level.WARNING, "session observer failed", ex);
        }
    }
}
