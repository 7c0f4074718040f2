package io.rapace.core.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.transport.shm.Descriptor;
import io.rapace.transport.shm.FrameFlags;
import org.jspecify.annotations.Nullable;

/**
 * The {@link ServerCall} of one request: serialises its outgoing frames, tracks whether it ended and
 * whether it was cancelled, and reports its end to the session.
 */
final class InboundCall implements ServerCall {

    /** Longest error message sent (bytes), so that an error frame always fits a slot. */
    static final int MAX_ERROR_MESSAGE_BYTES = 4096;

    private static final System.Logger LOG = System.getLogger(InboundCall.class.getName());

    private static final byte[] EMPTY = new byte[0];

    /** What the session learns about the call. */
    interface Listener {

        /** The call ended (once); {@code outcome} is CANCELLED when it was cancelled. */
        void onEnded(InboundCall call, ErrorCode outcome);

        /** A frame that ends the call could not be sent. */
        void onResponseSendFailed(InboundCall call, RapaceException failure);
    }

    private final FrameSender sender;

    private final Listener listener;

    private final Executor async;

    private final int channelId;

    private final int methodId;

    private final byte[] requestPayload;

    private final long deadlineNs;

    private final long startNanos;

    /**
     * Runs on the receive thread: its ending frame is sent only if there is room now, and otherwise by
     * {@link #async}'s thread, so the receive thread never waits for the peer to drain its ring.
     */
    private final boolean inline;

    /** Serialises sends so that items and the ending frame leave in call order, none after the end. */
    private final ReentrantLock sendLock = new ReentrantLock();

    /** Written under sendLock; volatile so that isEnded() reads it without the lock. */
    private volatile boolean ended;

    private final AtomicBoolean cancelled = new AtomicBoolean();

    /** Guarded by itself. */
    private final List<Runnable> cancelActions = new ArrayList<>(2);

    InboundCall(FrameSender sender, Listener listener, Executor async, int channelId, int methodId,
            byte[] requestPayload, long deadlineNs) {
        this(sender, listener, async, channelId, methodId, requestPayload, deadlineNs, false);
    }

    InboundCall(FrameSender sender, Listener listener, Executor async, int channelId, int methodId,
            byte[] requestPayload, long deadlineNs, boolean inline) {
        this.inline = inline;
        this.sender = sender;
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
        return this.cancelled.get();
    }

    @Override
    public boolean isEnded() {
        return this.ended;
    }

    /** When the call was created, {@link System#nanoTime()}. */
    long startNanos() {
        return this.startNanos;
    }

    @Override
    public void onCancel(Runnable action) {
        Objects.requireNonNull(action, "action");
        synchronized (this.cancelActions) {
            if (!this.cancelled.get()) {
                this.cancelActions.add(action);
                return;
            }
        }
        runQuietly(action);
    }

    @Override
    public void respond(byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        int max = this.sender.maxPayloadLength();
        if (payload.length > max) {
            String message = "response of " + payload.length + " bytes exceeds the slot size of " + max + " bytes";
            LOG.log(System.Logger.Level.WARNING, "method {0} on channel {1}: {2}", Integer.toUnsignedString(this.methodId),
                    Integer.toUnsignedString(this.channelId), message);
            endOrThrow(FrameFlags.ERROR | FrameFlags.EOS, errorPayload(ErrorCode.RESOURCE_EXHAUSTED, message),
                    ErrorCode.RESOURCE_EXHAUSTED);
            return;
        }
        endOrThrow(FrameFlags.DATA | FrameFlags.EOS, payload, ErrorCode.OK);
    }

    @Override
    public void sendItem(byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        this.sendLock.lock();
        try {
            if (this.ended) {
                throw alreadyEnded();
            }
            if (this.cancelled.get()) {
                return;
            }
            this.sender.send(this.channelId, 0, FrameFlags.DATA, Descriptor.NO_DEADLINE, payload);
        }
        finally {
            this.sendLock.unlock();
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
        if (!this.cancelled.compareAndSet(false, true)) {
            return;
        }
        List<Runnable> actions;
        synchronized (this.cancelActions) {
            actions = List.copyOf(this.cancelActions);
            this.cancelActions.clear();
        }
        if (!actions.isEmpty()) {
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
            LOG.log(System.Logger.Level.DEBUG, "handler of method {0} threw after ending its call: {1}",
                    Integer.toUnsignedString(this.methodId), thrown.toString());
        }
        else if (code == ErrorCode.INTERNAL) {
            LOG.log(System.Logger.Level.WARNING, "handler of method " + Integer.toUnsignedString(this.methodId)
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
        this.sendLock.lock();
        try {
            if (this.ended) {
                return false;
            }
            this.ended = true;
            if (!this.cancelled.get()) {
                try {
                    if (!this.inline || !this.sender.trySend(this.channelId, 0, flags, Descriptor.NO_DEADLINE, payload)) {
                        sendEnding(flags, payload);
                    }
                }
                catch (RapaceException ex) {
                    this.listener.onResponseSendFailed(this, ex);
                }
            }
        }
        finally {
            this.sendLock.unlock();
        }
        this.listener.onEnded(this, this.cancelled.get() ? ErrorCode.CANCELLED : outcome);
        return true;
    }

    /** Sends the ending frame, waiting for room: here, or on another thread for an inline call. */
    private void sendEnding(int flags, byte[] payload) {
        if (!this.inline) {
            this.sender.send(this.channelId, 0, flags, Descriptor.NO_DEADLINE, payload);
            return;
        }
        this.async.execute(() -> {
            try {
                this.sender.send(this.channelId, 0, flags, Descriptor.NO_DEADLINE, payload);
            }
            catch (RapaceException ex) {
                this.listener.onResponseSendFailed(this, ex);
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
            LOG.log(System.Logger.Level.WARNING, "onCancel action failed", ex);
        }
    }
}
