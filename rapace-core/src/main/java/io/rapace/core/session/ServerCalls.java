package io.rapace.core.session;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.transport.shm.Descriptor;
import io.rapace.transport.shm.Frame;
import io.rapace.transport.shm.FrameFlags;
import org.jspecify.annotations.Nullable;

/**
 * The incoming side of a session: turns requests arriving on the peer's channels into
 * {@link InboundCall}s run on virtual threads (or, for {@linkplain MethodHandler#isNonBlocking() non-blocking}
 * handlers, on the receive thread itself), routes cancellations to them, and drains them on close.
 *
 * <p>Back-pressure: at most {@code maxActive} calls are in progress at once (handlers running, answers
 * waiting for ring space). Once the bound is reached, or {@link ProtocolReplies} has as many replies waiting
 * as it may, the session takes no new requests: a request read meanwhile is held (copied, in arrival order,
 * at most {@code maxHeld}) and started when a place frees up, and {@link #isHolding()} tells the thread
 * reading the ring to stop reading, so the peer's requests wait in its ring and its sends wait for room.
 * Nothing is refused unless the session must keep reading (for answers to its own calls, or for slots its
 * answers starve for, see {@link #answersStarveForSlots()}) while {@code maxHeld} requests are already held:
 * then a request is answered {@code RESOURCE_EXHAUSTED}.
 */
final class ServerCalls implements InboundCall.Listener {

    /** The logger, made at this class's first log line: a process that logs nothing never sets up the JDK's logging. */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(ServerCalls.class.getName());
    }

    private final CallTable<InboundCall> active = new CallTable<>();

    private final SessionSender sender;

    private final Dispatcher dispatcher;

    private final SessionStatus status;

    private final SessionObserver observer;

    private final ExecutorService handlers;

    private final Executor async;

    private final AtomicLong responseSendFailures = new AtomicLong();

    private final InlineHandlers inline = new InlineHandlers();

    private final ReplySender replySender;

    private final ProtocolReplies replies;

    /** Wakes the thread reading the ring once the session takes requests again. */
    private final Runnable wakeReader;

    /** How many requests are served at once, and the ones held meanwhile. */
    private final Admission admission;

    /** Where requests' call objects and arrays come from, reused where nothing else holds them. */
    private final CallObjects calls;

    /** How a handler thread that answered reads the ring for the next request. */
    private final HandlerLinger linger;

    /**
     * Each handler thread's next request, taken while it reads after answering; unset on other threads. Looked up
     * once per request for a blocking handler (on the reading thread) and once per handler thread's turn.
     */
    private final ThreadLocal<@Nullable ClaimedRequest> claims = new ThreadLocal<>();

    /** The first reason an answer could not be sent, for the one summary line at the end. */
    private final AtomicReference<@Nullable String> firstSendFailure = new AtomicReference<>();

    ServerCalls(SessionSender sender, Dispatcher dispatcher, SessionStatus status, SessionObserver observer,
            ExecutorService handlers, Executor async) {
        this(sender, dispatcher, status, observer, handlers, async, SessionOptions.DEFAULT_MAX_ACTIVE_SERVER_CALLS);
    }

    ServerCalls(SessionSender sender, Dispatcher dispatcher, SessionStatus status, SessionObserver observer,
            ExecutorService handlers, Executor async, int maxActive) {
        this(sender, dispatcher, status, observer, handlers, async, maxActive,
                SessionOptions.DEFAULT_MAX_HELD_SERVER_REQUESTS, () -> { });
    }

    ServerCalls(SessionSender sender, Dispatcher dispatcher, SessionStatus status, SessionObserver observer,
            ExecutorService handlers, Executor async, int maxActive, int maxHeld, Runnable wakeReader) {
        this(sender, dispatcher, status, observer, handlers, async, maxActive, maxHeld, wakeReader, HandlerLinger.NONE);
    }

    ServerCalls(SessionSender sender, Dispatcher dispatcher, SessionStatus status, SessionObserver observer,
            ExecutorService handlers, Executor async, int maxActive, int maxHeld, Runnable wakeReader, HandlerLinger linger) {
        this.linger = linger;
        this.replySender = new ReplySender(sender);
        this.replies = new ProtocolReplies(this.replySender, async, this::replyLeft);
        this.admission = new Admission(maxActive, maxHeld, this.replies::isFull, this::holdRequest);
        this.wakeReader = wakeReader;
        this.sender = sender;
        this.dispatcher = dispatcher;
        this.status = status;
        this.observer = observer;
        this.handlers = handlers;
        this.async = async;
        this.calls = new CallObjects(this.replySender, this, async);
    }

    /** Number of requests in progress: handlers running, answers waiting for room, requests held. */
    int size() {
        return this.active.size();
    }

    /** Requests read but held until a place frees up. */
    int heldCount() {
        return this.admission.heldCount();
    }

    /** Answers (of handlers and protocol replies) waiting for ring space right now. */
    int repliesWaiting() {
        return this.replySender.waiting();
    }

    /**
     * Whether the session takes no new requests now: the thread reading the ring should stop reading unless
     * it must read answers to our own calls. Read by that thread every turn: two volatile reads.
     */
    boolean isHolding() {
        return this.admission.isHolding() || this.replies.isFull();
    }

    /**
     * Whether answers wait for room while the ring we write has room: they wait for a free slot. The slot
     * pool is shared, and the peer's frames unread in our receive ring pin slots; so while an answer starves
     * for a slot the reader must go on reading (holding requests, see {@link #isHolding()}), or the two
     * sides could wait on each other for ever.
     */
    boolean answersStarveForSlots() {
        return this.replySender.waiting() > 0 && !this.sender.sendRingFull();
    }

    /** Responses, stream ends and error frames that could not be sent (or were dropped, see {@link ProtocolReplies}). */
    long responseSendFailures() {
        return this.responseSendFailures.get() + this.replies.dropped();
    }

    /** Logs one line when answers could not be sent or requests were refused (the session has ended). */
    void reportLosses(String session) {
        long unsent = responseSendFailures();
        long busy = this.admission.refused();
        if (unsent > 0 || busy > 0) {
            Log.LOG.log(System.Logger.Level.WARNING, "{0}: {1} answer(s) could not be sent (peer gone or session closed; first: {2});"
                    + " {3} request(s) refused RESOURCE_EXHAUSTED while {4} were held", session, unsent,
                    String.valueOf(this.firstSendFailure.get()), busy, this.admission.maxHeld());
        }
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
            Log.LOG.log(System.Logger.Level.DEBUG, "ignored frame without DATA on channel {0} (flags 0x{1})",
                    Integer.toUnsignedString(channelId), Integer.toHexString(frame.flags()));
            return;
        }
        // Calls are registered only by the thread reading the ring (the read role's lock orders its holders), so an
        // empty table seen without its monitor holds no call on this channel: the usual case of inline calls.
        if (!this.active.isEmptyWithoutLock() && this.active.containsKey(channelId)) {
            Log.LOG.log(System.Logger.Level.DEBUG, "ignored extra DATA frame on active server channel {0} (client streaming is not part of v1.0)",
                    Integer.toUnsignedString(channelId));
            return;
        }
        int methodId = frame.methodId();
        if (!this.status.isOpen()) {
            refuse(channelId, methodId);
            return;
        }
        if (holdOrRefuse(channelId, methodId, frame)) {
            return;
        }
        MethodHandler handler;
        try {
            handler = this.dispatcher.lookup(methodId);
        }
        catch (RuntimeException ex) {
            Log.LOG.log(System.Logger.Level.WARNING, "dispatcher failed to look up method " + Integer.toUnsignedString(methodId), ex);
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
            if (handler.keepsCallAfterReturn()) {
                runInline(this.calls.fresh(channelId, methodId, frame, true), handler);
            }
            else {
                runInlineReusing(channelId, methodId, frame, handler);
            }
            return;
        }
        InboundCall call = handler.keepsCallAfterReturn() ? this.calls.fresh(channelId, methodId, frame, false)
                : this.calls.handlerReusing(channelId, methodId, frame);
        // Only this thread adds calls, so the place seen free in holdOrRefuse is still free.
        this.admission.admit(call);
        this.active.put(channelId, call);
        start(call, handler);
    }

    /**
     * Holds the request when the session takes no new ones (true), refusing it when too many are held
     * already (true); false when it may start now.
     */
    private boolean holdOrRefuse(int channelId, int methodId, Frame frame) {
        Admission.Verdict verdict = this.admission.holdOrRefuse(channelId, methodId, frame);
        if (verdict != Admission.Verdict.REFUSED) {
            return verdict == Admission.Verdict.HELD;
        }
        // Only when the session keeps reading for answers to its own calls: the peer's calls get a clear answer.
        answerError(channelId, ErrorCode.RESOURCE_EXHAUSTED, this.admission.maxActive() + " requests are in progress"
                + " and " + this.admission.maxHeld() + " more are waiting; request for method "
                + Integer.toUnsignedString(methodId) + " refused");
        report(methodId, ErrorCode.RESOURCE_EXHAUSTED, 0);
        return true;
    }

    /** {@link Admission.Holder}: the call of a request held, registered (under the admission lock). */
    private InboundCall holdRequest(int channelId, int methodId, Frame frame) {
        InboundCall call = this.calls.fresh(channelId, methodId, frame, false);
        this.active.put(channelId, call);
        return call;
    }

    /**
     * Runs a counted call's handler on a handler thread (or refuses it when the session is closing). When this
     * thread is a handler thread reading for its next request, it takes the call itself: it runs it as soon as it
     * stops reading, with no hand-off.
     */
    private void start(InboundCall call, @Nullable MethodHandler handler) {
        ClaimedRequest claim = this.claims.get();
        if (claim != null && claim.take(call, handler)) {
            return;
        }
        // Before the hand-off: the handler thread may answer and look for its next request at once.
        boolean lingerAfter = this.linger.handedOff();
        try {
            this.handlers.execute(handOff(call, handler, lingerAfter));
        }
        catch (RejectedExecutionException closing) {
            this.admission.release(call);
            this.active.remove(call.channelId(), call);
            refuse(call.channelId(), call.methodId());
        }
    }

    /**
     * The task that runs {@code call} with {@code handler} on a handler thread: the call's own, made at its first
     * hand-off and kept while the session reuses the call, so that a reused call's hand-off allocates nothing. A call
     * is in one hand-off at a time: it is reused only once its handler thread gave it back, after it read the task.
     */
    private HandOff handOff(InboundCall call, @Nullable MethodHandler handler, boolean lingerAfter) {
        HandOff task = call.handOff;
        if (task == null) {
            task = new HandOff(call);
            call.handOff = task;
        }
        task.handler = handler;
        task.lingerAfter = lingerAfter;
        return task;
    }

    /**
     * See {@link #handOff}; its fields are written before the hand-off, which orders them for the handler thread.
     * {@code lingerAfter}: the thread reads for the next request once it answered ({@link HandlerLinger#handedOff()}).
     */
    final class HandOff implements Runnable {

        private final InboundCall call;

        private @Nullable MethodHandler handler;

        private boolean lingerAfter;

        HandOff(InboundCall call) {
            this.call = call;
        }

        @Override
        public void run() {
            serve(this.call, this.handler, this.lingerAfter);
        }
    }

    /**
     * A handler thread's task: runs the call, then reads the ring for the next request ({@link HandlerLinger})
     * and runs the one it takes, for as long as requests for blocking handlers keep coming within the linger.
     * Virtual threads (the overflow of a busy pool) do not read: spinning would hold their carrier.
     */
    private void serve(InboundCall call, @Nullable MethodHandler handler, boolean lingerAfter) {
        runTask(call, handler);
        if (Thread.currentThread().isVirtual()) {
            return;
        }
        ClaimedRequest claim = this.claims.get();
        if (claim == null) {
            claim = new ClaimedRequest();
            this.claims.set(claim);
        }
        boolean told = lingerAfter;
        while (!this.handlers.isShutdown()) {
            claim.open();
            this.linger.readForNext(claim, told);
            told = false;  // a request this thread took by reading came with no hand-off
            claim.close();
            InboundCall next = claim.call();
            if (next == null) {
                return;
            }
            MethodHandler nextHandler = claim.handler();
            claim.clear();
            runTask(next, nextHandler);
        }
    }

    private void runTask(InboundCall call, @Nullable MethodHandler handler) {
        if (handler != null) {
            run(call, handler);
        }
        else {
            runHeld(call);
        }
    }

    /** A held request's turn came, on a handler thread: finds its handler now, answers as a handler would. */
    private void runHeld(InboundCall call) {
        if (call.isCancelled()) {
            call.endSilently();
            return;
        }
        MethodHandler handler;
        try {
            handler = this.dispatcher.lookup(call.methodId());
        }
        catch (RuntimeException ex) {
            Log.LOG.log(System.Logger.Level.WARNING, "dispatcher failed to look up method " + Integer.toUnsignedString(call.methodId()), ex);
            call.fail(ErrorCode.INTERNAL, "dispatcher failed to look up method " + Integer.toUnsignedString(call.methodId()) + ": " + ex);
            return;
        }
        if (handler == null) {
            call.fail(ErrorCode.UNIMPLEMENTED, "Unknown method_id: " + Integer.toUnsignedString(call.methodId()));
            return;
        }
        run(call, handler);
    }

    /** Starts held requests while places are free; wakes the reader once the session takes requests again. */
    private void admitHeld() {
        InboundCall next;
        while ((next = this.admission.nextHeld(this.wakeReader)) != null) {
            start(next, null);
        }
    }

    /** A deferred protocol reply left: there may be room for held requests, and the reader may go on. */
    private void replyLeft() {
        admitHeld();
        if (!isHolding()) {
            this.wakeReader.run();
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

    /**
     * Closes what the watch of the ring's handlers keeps open (its readings' files, {@link InlineHandlers}): the receive
     * loop ended, so no handler runs on the ring's thread any more.
     */
    void endInlineWatch() {
        this.inline.close();
    }

    /** Cancels every running call (its ending frame is not sent) and interrupts the handlers. */
    void abortAll() {
        for (InboundCall call : this.active) {
            // Still the call the snapshot saw: one that ended meanwhile may be a spare, or restarted for a new request.
            if (this.active.get(call.channelId()) == call) {
                call.endSilently();
            }
        }
        this.handlers.shutdownNow();
    }

    @Override
    public void onEnded(InboundCall call, ErrorCode outcome) {
        boolean counted = false;
        if (!call.isInline() || call.counted) {
            counted = this.admission.release(call);
            this.active.remove(call.channelId(), call);
        }
        if (call.isInline() || this.observer != SessionObserver.NONE) {
            // One clock read for both the observer and an inline run's slow check (runInline); none when neither needs it.
            long ended = System.nanoTime();
            call.endedAt(ended);
            report(call.methodId(), outcome, ended - call.startNanos());
        }
        if (counted) {
            admitHeld();
        }
    }

    @Override
    public void onEndingDeferred(InboundCall call) {
        this.admission.admit(call);
        this.active.put(call.channelId(), call);
    }

    @Override
    public void onResponseSendFailed(InboundCall call, RapaceException failure) {
        this.responseSendFailures.incrementAndGet();
        this.firstSendFailure.compareAndSet(null, failure.getMessage());
        // One summary line when the session ends (reportLosses), not one per answer: only the peer's death or
        // the session's close make an answer fail, and then all of them fail at once.
        Log.LOG.log(System.Logger.Level.DEBUG, "could not send the answer of method {0} on channel {1}: {2}",
                Integer.toUnsignedString(call.methodId()), Integer.toUnsignedString(call.channelId()), failure.getMessage());
        try {
            this.observer.onResponseSendFailed(call.methodId(), failure);
        }
        catch (RuntimeException ex) {
            Log.LOG.log(System.Logger.Level.WARNING, "session observer failed", ex);
        }
    }

    /**
     * {@link #runInline} for a handler that keeps nothing of its call once it returned: the call object and the
     * request's array are reused ({@link CallObjects#inlineReusing}).
     */
    private void runInlineReusing(int channelId, int methodId, Frame frame, MethodHandler handler) {
        InboundCall call = this.calls.inlineReusing(channelId, methodId, frame);
        try {
            runInline(call, handler);
        }
        finally {
            this.calls.inlineRunEnded(call);
        }
        this.calls.keepIfEndedHere(call);
    }

    /**
     * Runs a non-blocking handler here, on the receive thread: no hand-off, no registration (no cancel can
     * arrive while it runs, since this thread is the one that would read it). A slow run is weighed ({@link InlineHandlers}).
     */
    private void runInline(InboundCall call, MethodHandler handler) {
        // Only a handler under watch (a run of it was slow by the wall clock) has its run's counters read (file
        // reads, RunCounters).
        boolean watched = this.inline.watches(handler);
        @Nullable RunCounters before = watched ? this.inline.countersNow() : null;
        long started = before != null ? System.nanoTime() : call.startNanos();
        run(call, handler);
        long ended = call.endedNanos();
        long took = (ended != 0 ? ended : System.nanoTime()) - started;
        if (before != null) {
            this.inline.ranWatched(handler, took, before, this.inline.countersNow());
        }
        else if (took > InlineHandlers.WARN_NANOS) {
            this.inline.ranSlowUnwatched(handler, took);
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
        // Last use of the call by this thread, for a handler that keeps nothing of it (an inline call is kept otherwise).
        if (!handler.keepsCallAfterReturn()) {
            this.calls.giveBack(call);
        }
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
            Log.LOG.log(System.Logger.Level.WARNING, "session observer failed", ex);
        }
    }

    /** The weighing of runs on the ring's thread (tests read what it counted). */
    InlineHandlers inlineHandlers() {
        return this.inline;
    }
}
