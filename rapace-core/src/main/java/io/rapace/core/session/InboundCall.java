package io.rapace.core.session;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.core.codec.Codecs;
import io.rapace.core.codec.PostcardCodec;
import io.rapace.core.codec.PostcardWriter;
import io.rapace.transport.shm.FrameFlags;
import io.rapace.transport.shm.layout.DescriptorLayout;
import org.jspecify.annotations.Nullable;

/**
 * The {@link ServerCall} of one request: serialises its outgoing frames, tracks whether it ended and
 * whether it was cancelled, and reports its end to the session.
 */
final class InboundCall implements ServerCall {

    /** Longest error message sent (bytes), so that an error frame always fits a slot. */
    static final int MAX_ERROR_MESSAGE_BYTES = 4096;

    /** The logger, made at this class's first log line: a process that logs nothing never sets up the JDK's logging. */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(InboundCall.class.getName());
    }

    private static final byte[] EMPTY = new byte[0];

    /** What the session learns about the call. */
    interface Listener {

        /** The call ended (once); {@code outcome} is CANCELLED when it was cancelled. */
        void onEnded(InboundCall call, ErrorCode outcome);

        /** A frame that ends the call could not be sent. */
        void onResponseSendFailed(InboundCall call, RapaceException failure);

        /**
         * The ending frame of an inline call found no room and will leave from another thread: until
         * {@link #onEnded} the call is an answer in progress, like a handler's.
         */
        default void onEndingDeferred(InboundCall call) {
        }
    }

    private final SessionSender sender;

    /** Sends this call's frames, waiting for room as long as the peer lives (shared by the session's calls). */
    private final ReplySender replies;

    private final Listener listener;

    private final Executor async;

    // The call's identity: final but for a call the session reuses (restart, by the thread reading the ring).

    private int channelId;

    private int methodId;

    private byte[] requestPayload;

    private long deadlineNs;

    private long startNanos;

    /** See {@link #endedNanos()}; accessed through {@link #ENDED_NANOS}. */
    @SuppressWarnings("unused")
    private long endedNanos;

    private static final java.lang.invoke.VarHandle ENDED_NANOS;

    static {
        try {
            ENDED_NANOS = java.lang.invoke.MethodHandles.lookup().findVarHandle(InboundCall.class, "endedNanos", long.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /**
     * Runs on the receive thread: its ending frame is sent only if there is room now, and otherwise by
     * {@link #async}'s thread, so the receive thread never waits for the peer to drain its ring.
     */
    private final boolean inline;

    /**
     * Serialises sends so that items and the ending frame leave in call order, none after the end. A
     * monitor rather than a ReentrantLock: nothing to allocate per call, and since JDK 24 a virtual thread
     * waiting for a monitor no longer pins its carrier.
     */
    private final Object sendLock = new Object();

    /** Written under sendLock; volatile so that isEnded() reads it without the lock. */
    private volatile boolean ended;

    /** Set once by {@link #cancel()} under this call's monitor, read by any thread: volatile. */
    private volatile boolean cancelled;

    /**
     * Guarded by this call's monitor (not sendLock: a cancel from the receive loop must never wait for a
     * handler blocked in a send); made on the first {@link #onCancel} only (most calls register none).
     */
    private @Nullable List<Runnable> cancelActions;

    /** Guarded by the session's {@link Admission} lock: whether the call counts against its bound. */
    boolean counted;

    /** Whether the ending frame of this inline call was left to another thread; receive thread only. */
    private boolean deferred;

    /**
     * The thread that ended the call (its ending frame and {@link Listener#onEnded} ran there). Written under sendLock,
     * cleared by {@link #restart} before the call's hand-off; read without the lock by a thread asking whether it is
     * that thread, which only its own write can make true.
     */
    private @Nullable Thread endedBy;

    /**
     * Set by the first {@link #onCancel}: a call with cancel actions is never reused. Volatile: read by the handler
     * thread without this call's monitor, which onCancel holds.
     */
    private volatile boolean hadCancelActions;

    /**
     * The task that runs this call on a handler thread, made by {@link ServerCalls} at its first hand-off and kept while
     * the call is reused; used only by the thread that hands the call off.
     */
    ServerCalls.@Nullable HandOff handOff;

    /** The next spare call while this one waits in the session's stack of spares ({@link SpareCalls}). */
    @Nullable InboundCall nextSpare;

    /**
     * This call's own request arrays, made at its first reuse: a reused handler call copies its small request into
     * one of them. Only the thread that restarts the call (the one reading the ring) uses them, before the call's
     * hand-off to its handler thread.
     */
    private @Nullable RequestArrays ownArrays;

    InboundCall(SessionSender sender, Listener listener, Executor async, int channelId, int methodId,
            byte[] requestPayload, long deadlineNs) {
        this(new ReplySender(sender), listener, async, channelId, methodId, requestPayload, deadlineNs, false);
    }

    InboundCall(ReplySender replies, Listener listener, Executor async, int channelId, int methodId,
            byte[] requestPayload, long deadlineNs, boolean inline) {
        this.inline = inline;
        this.replies = replies;
        this.sender = replies.frames();
        this.listener = listener;
        this.async = async;
        this.channelId = channelId;
        this.methodId = methodId;
        this.requestPayload = requestPayload;
        this.deadlineNs = deadlineNs;
        this.startNanos = System.nanoTime();
    }

    @Override
    public int channelId() {
        return this.channelId;
    }

    @Override
    public int methodId() {
        return this.methodId;
    }

    @Override
    public byte[] requestPayload() {
        return this.requestPayload;
    }

    @Override
    public long deadlineNs() {
        return this.deadlineNs;
    }

    @Override
    public boolean isCancelled() {
        return this.cancelled;
    }

    @Override
    public boolean isEnded() {
        return this.ended;
    }

    /**
     * Whether this inline call ended on the receive thread, its ending frame sent there, with no cancel action: no
     * other thread has it, so that the session may reuse it ({@link #restart}) once its handler returned.
     */
    boolean endedHere() {
        return this.inline && this.ended && !this.deferred && this.cancelActions == null;
    }

    /**
     * Whether this call, run on a handler thread, was ended by the calling thread itself (so that its ending, the
     * session's {@link Listener#onEnded} included, is over) and never had a cancel action: once its handler returned
     * without keeping it ({@link MethodHandler#keepsCallAfterReturn()} false), no other thread uses it any more, and
     * the session may reuse it ({@link #restart}). A cancel that found it registered just before it ended only marks it
     * cancelled, on the thread reading the ring, which is also the only thread that restarts a spare call.
     */
    boolean endedByCurrentThread() {
        return !this.inline && this.endedBy == Thread.currentThread() && !this.hadCancelActions;
    }

    /** This call's own request arrays, for {@link #restart} by the thread reading the ring. */
    RequestArrays requestArrays() {
        RequestArrays arrays = this.ownArrays;
        if (arrays == null) {
            arrays = new RequestArrays();
            this.ownArrays = arrays;
        }
        return arrays;
    }

    /**
     * Makes this call, which {@linkplain #endedHere() ended here} (an inline call) or {@linkplain #endedByCurrentThread()
     * ended on its handler thread} and was given back, a new call of the same kind; by the thread reading the ring,
     * before the call is handed to anyone.
     */
    void restart(int channelId, int methodId, byte[] requestPayload, long deadlineNs) {
        this.endedBy = null;
        this.nextSpare = null;
        this.channelId = channelId;
        this.methodId = methodId;
        this.requestPayload = requestPayload;
        this.deadlineNs = deadlineNs;
        this.startNanos = System.nanoTime();
        this.endedAt(0);
        this.cancelled = false;
        this.counted = false;
        this.deferred = false;
        this.hadCancelActions = false;
        this.ended = false;
    }

    /** Whether it runs on the receive thread (and so was never registered as active). */
    boolean isInline() {
        return this.inline;
    }

    /** When the call was created, {@link System#nanoTime()}. */
    long startNanos() {
        return this.startNanos;
    }

    /**
     * When the call ended ({@link System#nanoTime()} read by {@link Listener#onEnded}'s caller), or 0 before that;
     * so that an inline run's slow check reuses the end's clock read instead of reading the clock again.
     */
    long endedNanos() {
        return (long) ENDED_NANOS.getAcquire(this);  // pairs with the release store in endedAt
    }

    /** Records when the call ended; by whoever ended it. */
    void endedAt(long nanos) {
        ENDED_NANOS.setRelease(this, nanos);  // the rx thread may read it after another thread ended the call
    }

    @Override
    public void onCancel(Runnable action) {
        Objects.requireNonNull(action, "action");
        synchronized (this) {
            if (!this.cancelled) {
                this.hadCancelActions = true;
                if (this.cancelActions == null) {
                    this.cancelActions = new ArrayList<>(2);
                }
                this.cancelActions.add(action);
                return;
            }
        }
        runQuietly(action);
    }

    @Override
    public void respond(byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        // The request array answered back is borrowed: the session may reuse it for its next request of that length.
        respond(payload, payload.length, payload == this.requestPayload);
    }

    /** Encodes into the thread's reusable writer ({@link Codecs#takeWriter()}): no array per answer on a platform thread. */
    @Override
    public <T extends @Nullable Object> void respond(PostcardCodec<T> codec, T value) {
        Objects.requireNonNull(codec, "codec");
        PostcardWriter out = Codecs.takeWriter();
        try {
            codec.encode(value, out);
        }
        catch (RuntimeException | Error encodeFailed) {
            Codecs.releaseWriter(out);
            throw encodeFailed;
        }
        respond(out);
    }

    /** Sends straight from the writer's buffer: no array per answer. */
    @Override
    public void respond(PostcardWriter answer) {
        try {
            respond(answer.buffer(), answer.size(), true);
        }
        finally {
            Codecs.releaseWriter(answer);
        }
    }

    /** Answers {@code payload[0, length)}; {@code borrowed}: the array is reused once this returns. */
    private void respond(byte[] payload, int length, boolean borrowed) {
        int max = this.sender.maxPayloadLength();
        if (length > max) {
            String message = "response of " + length + " bytes exceeds the slot size of " + max + " bytes";
            Log.LOG.log(System.Logger.Level.WARNING, "method {0} on channel {1}: {2}", Integer.toUnsignedString(this.methodId),
                    Integer.toUnsignedString(this.channelId), message);
            endOrThrow(FrameFlags.ERROR | FrameFlags.EOS, errorPayload(ErrorCode.RESOURCE_EXHAUSTED, message),
                    ErrorCode.RESOURCE_EXHAUSTED);
            return;
        }
        if (!tryEnd(FrameFlags.DATA | FrameFlags.EOS, payload, length, borrowed, ErrorCode.OK)) {
            throw alreadyEnded();
        }
    }

    @Override
    public void sendItem(byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        sendItem(payload, payload.length);
    }

    @Override
    public void sendItem(byte[] payload, int length) {
        Objects.checkFromIndexSize(0, length, payload.length);
        synchronized (this.sendLock) {
            if (this.ended) {
                throw alreadyEnded();
            }
            if (this.cancelled) {
                return;
            }
            // Waits for room as long as the peer lives: a slow reader slows this producer, never loses an item.
            this.replies.send(this.channelId, 0, FrameFlags.DATA, payload, length, this);
        }
    }

    @Override
    public void complete() {
        endOrThrow(FrameFlags.EOS, EMPTY, ErrorCode.OK);
    }

    @Override
    public void fail(ErrorCode code, String message) {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        if (code == ErrorCode.OK) {
            throw new IllegalArgumentException("fail needs an error code, got OK (message: " + message + ")");
        }
        endOrThrow(FrameFlags.ERROR | FrameFlags.EOS, errorPayload(code, message), code);
    }

    /** Marks the call cancelled (once) and runs its cancel actions off the calling thread. */
    void cancel() {
        List<Runnable> actions;
        synchronized (this) {
            if (this.cancelled) {
                return;
            }
            this.cancelled = true;
            actions = this.cancelActions;
            this.cancelActions = null;
        }
        if (actions != null && !actions.isEmpty()) {
            this.async.execute(() -> actions.forEach(InboundCall::runQuietly));
        }
    }

    /** Called by the handler's thread after the handler returned ({@code thrown == null}) or threw. */
    void afterHandler(@Nullable Throwable thrown) {
        if (thrown == null) {
            if (!this.ended) {
                tryEnd(FrameFlags.ERROR | FrameFlags.EOS, errorPayload(ErrorCode.INTERNAL, "handler did not answer"),
                        ErrorCode.INTERNAL);
            }
            return;
        }
        ErrorCode code = thrown instanceof RapaceException rapace ? rapace.errorCode() : ErrorCode.INTERNAL;
        String message = thrown.getMessage() != null ? thrown.getMessage() : thrown.getClass().getName();
        if (code == ErrorCode.OK) {
            code = ErrorCode.INTERNAL;
        }
        if (!tryEnd(FrameFlags.ERROR | FrameFlags.EOS, errorPayload(code, message), code)) {
            Log.LOG.log(System.Logger.Level.DEBUG, "handler of method {0} threw after ending its call: {1}",
                    Integer.toUnsignedString(this.methodId), thrown.toString());
        }
        else if (code == ErrorCode.INTERNAL) {
            Log.LOG.log(System.Logger.Level.WARNING, "handler of method " + Integer.toUnsignedString(this.methodId)
                    + " failed on channel " + Integer.toUnsignedString(this.channelId), thrown);
        }
    }

    /** Ends the call with nothing sent (session shutting down, or cancelled before its handler ran). */
    void endSilently() {
        cancel();
        tryEnd(0, EMPTY, ErrorCode.CANCELLED);
    }

    private void endOrThrow(int flags, byte[] payload, ErrorCode outcome) {
        if (!tryEnd(flags, payload, outcome)) {
            throw alreadyEnded();
        }
    }

    /** Sends the ending frame unless ended or cancelled; false when the call had already ended. */
    private boolean tryEnd(int flags, byte[] payload, ErrorCode outcome) {
        return tryEnd(flags, payload, payload.length, false, outcome);
    }

    /**
     * Sends the ending frame {@code payload[0, length)} unless ended or cancelled; false when the call had already
     * ended. A {@code borrowed} array is reused once this returns, so an ending deferred to another thread is a copy.
     */
    private boolean tryEnd(int flags, byte[] payload, int length, boolean borrowed, ErrorCode outcome) {
        synchronized (this.sendLock) {
            if (this.ended) {
                return false;
            }
            this.ended = true;
            this.endedBy = Thread.currentThread();
            if (!this.cancelled) {
                try {
                    if (!this.inline) {
                        this.replies.send(this.channelId, 0, flags, payload, length, this);
                    }
                    else if (!this.sender.sendWithin(this.channelId, 0, flags, DescriptorLayout.NO_DEADLINE, payload, length,
                            0)) {
                        deferEnding(flags, borrowed || length != payload.length ? Arrays.copyOf(payload, length) : payload,
                                outcome);
                        return true;
                    }
                }
                catch (RapaceException ex) {
                    this.listener.onResponseSendFailed(this, ex);
                }
            }
        }
        this.listener.onEnded(this, this.cancelled ? ErrorCode.CANCELLED : outcome);
        return true;
    }

    /**
     * The ending frame of an inline call found no room: the receive thread never waits, so another thread
     * sends it, waiting for room; the call ends (and stops counting against the session's bound) once sent.
     */
    private void deferEnding(int flags, byte[] payload, ErrorCode outcome) {
        this.deferred = true;
        this.listener.onEndingDeferred(this);
        this.async.execute(() -> {
            try {
                this.replies.send(this.channelId, 0, flags, payload, payload.length, this);
            }
            catch (RapaceException ex) {
                this.listener.onResponseSendFailed(this, ex);
            }
            finally {
                this.listener.onEnded(this, this.cancelled ? ErrorCode.CANCELLED : outcome);
            }
        });
    }

    private byte[] errorPayload(ErrorCode code, String message) {
        int limit = Math.max(0, Math.min(MAX_ERROR_MESSAGE_BYTES, this.sender.maxPayloadLength() - ErrorPayload.HEADER_LENGTH));
        return ErrorPayload.of(code, message).encode(limit);
    }

    private IllegalStateException alreadyEnded() {
        return new IllegalStateException("call on channel " + Integer.toUnsignedString(this.channelId) + " (method "
                + Integer.toUnsignedString(this.methodId) + ") has already ended");
    }

    private static void runQuietly(Runnable action) {
        try {
            action.run();
        }
        catch (RuntimeException ex) {
            Log.LOG.log(System.Logger.Level.WARNING, "onCancel action failed", ex);
        }
    }
}
