package io.rapace.core.session;

import java.util.concurrent.Executor;

import io.rapace.transport.shm.Frame;
import org.jspecify.annotations.Nullable;

/**
 * Where a request's call object and request array come from, for the session's {@link ServerCalls}: reused where
 * nothing else holds them, new otherwise. For a non-blocking handler that keeps nothing of its call, the inline call
 * that last ended on the ring's thread ({@link InboundCall#endedHere}) and the session's array of the request's length;
 * for a blocking one, a call given back by the handler thread that ended it ({@link SpareCalls}), with arrays of its
 * own. Used by the thread reading the ring (the reading role's lock orders the uses when another thread takes the role
 * over), but for {@link #giveBack}, which any handler thread calls.
 */
final class CallObjects {

    private final ReplySender replies;

    private final InboundCall.Listener listener;

    private final Executor async;

    /** The inline call to reuse next, or null (taken by a run in progress, or none ended here yet). */
    private @Nullable InboundCall spareInline;

    /** The session's request arrays, for inline calls; see {@link #arraysHeldBy}. */
    private final RequestArrays sessionArrays = new RequestArrays();

    /** The inline call whose request is in {@link #sessionArrays} now, or null: an inline run nested in it copies. */
    private @Nullable InboundCall arraysHeldBy;

    /** Handler calls given back once ended. */
    private final SpareCalls spareCalls = new SpareCalls();

    CallObjects(ReplySender replies, InboundCall.Listener listener, Executor async) {
        this.replies = replies;
        this.listener = listener;
        this.async = async;
    }

    /** A new call with its own copy of the request: for a handler that may keep its call (or a held request). */
    InboundCall fresh(int channelId, int methodId, Frame frame, boolean inline) {
        return new InboundCall(this.replies, this.listener, this.async, channelId, methodId, RequestArrays.copyOf(frame),
                frame.deadlineNs(), inline);
    }

    /**
     * An inline call for a handler that keeps nothing of its call: the one the last such call ended here, its small
     * request in the session's array of that length (unless a run holds them: an inline run within an inline run);
     * give it to {@link #inlineRunEnded} when its run is over, however it ended.
     */
    InboundCall inlineReusing(int channelId, int methodId, Frame frame) {
        boolean arrays = this.arraysHeldBy == null && RequestArrays.fits(frame.payloadLength());
        byte[] request = arrays ? this.sessionArrays.copy(frame) : RequestArrays.copyOf(frame);
        InboundCall call = this.spareInline;
        this.spareInline = null;
        if (call != null) {
            call.restart(channelId, methodId, request, frame.deadlineNs());
        }
        else {
            call = new InboundCall(this.replies, this.listener, this.async, channelId, methodId, request,
                    frame.deadlineNs(), true);
        }
        if (arrays) {
            this.arraysHeldBy = call;
        }
        return call;
    }

    /** The run of {@code call}, from {@link #inlineReusing}, is over: its arrays are free again. */
    void inlineRunEnded(InboundCall call) {
        if (this.arraysHeldBy == call) {
            this.arraysHeldBy = null;
        }
    }

    /** Keeps {@code call}, whose run returned, for the next inline request if it ended here (no other thread has it). */
    void keepIfEndedHere(InboundCall call) {
        if (call.endedHere()) {
            this.spareInline = call;
        }
    }

    /**
     * A call for a request to a blocking handler that keeps nothing of its call: one given back, its small request
     * copied into one of its own arrays, or a new one.
     */
    InboundCall handlerReusing(int channelId, int methodId, Frame frame) {
        InboundCall call = this.spareCalls.take();
        if (call == null) {
            return fresh(channelId, methodId, frame, false);
        }
        call.restart(channelId, methodId, call.requestArrays().copy(frame), frame.deadlineNs());
        return call;
    }

    /**
     * The handler of {@code call} returned on this thread and keeps nothing of it: a handler call that this thread
     * ended ({@link InboundCall#endedByCurrentThread()}) is given back for a later request; an inline call never is
     * ({@link #keepIfEndedHere} keeps those). Last use by the thread.
     */
    void giveBack(InboundCall call) {
        if (call.endedByCurrentThread()) {
            this.spareCalls.giveBack(call);
        }
    }
}
