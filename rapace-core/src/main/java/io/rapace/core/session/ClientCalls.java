package io.rapace.core.session;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.core.codec.Codecs;
import io.rapace.core.codec.PostcardCodec;
import io.rapace.core.codec.PostcardWriter;
import io.rapace.transport.shm.Frame;
import io.rapace.transport.shm.FrameFlags;
import io.rapace.transport.shm.layout.DescriptorLayout;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Schedulers;

/**
 * The outgoing side of a session: starts calls on fresh channels, routes answers arriving on our
 * channels to them, enforces deadlines, and fails them all when the session ends.
 */
final class ClientCalls {

    /** The logger, made at this class's first log line: a process that logs nothing never sets up the JDK's logging. */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(ClientCalls.class.getName());
    }

    private static final byte[] EMPTY = new byte[0];

    private final CallTable<PendingCall> pending = new CallTable<>();

    /** Made once: a method reference made per call would allocate. */
    private final java.util.function.IntPredicate channelInUse = this.pending::containsKey;

    private final SessionSender sender;

    private final ChannelIds channelIds;

    private final SessionStatus status;

    private final SessionObserver observer;

    private final Executor callbacks;


    private final DeadlineSweeper deadlines;

    private final Executor async;

    private final AnswerWait answerWait;

    private final FutureLead futureLead;

    private final StreamDelivery.Linger streamLinger;

    /** Items of one stream that may wait for its subscriber. */
    private final int maxStreamItems;

    private final FullStreams fullStreams;

    /** How a blocking caller waits for its answer. */
    @FunctionalInterface
    interface AnswerWait {

        /**
         * Waits until {@code call} has its outcome or {@code deadline} passed; false on the deadline. {@code startNanos}
         * is when the call started ({@link System#nanoTime()}), so that the wait need not read the clock itself. Every
         * blocking call passes through here, also one that has ended already (answered before its caller came to wait,
         * or not sent): the wait learns that the session has blocking callers from the first of them.
         */
        boolean await(BlockingCall call, long startNanos, long deadline);
    }

    ClientCalls(SessionSender sender, ChannelIds channelIds, SessionStatus status, SessionObserver observer,
            Executor callbacks, ScheduledExecutorService deadlines, Executor async) {
        this(sender, channelIds, status, observer, callbacks, deadlines, async,
                (call, startNanos, deadline) -> call.isDone() || call.await(deadline),
                FutureLead.NONE, StreamDelivery.Linger.SPIN, SessionOptions.DEFAULT_MAX_BUFFERED_STREAM_ITEMS,
                new FullStreams(() -> { }));
    }

    ClientCalls(SessionSender sender, ChannelIds channelIds, SessionStatus status, SessionObserver observer,
            Executor callbacks, ScheduledExecutorService deadlines, Executor async,
            AnswerWait answerWait, FutureLead futureLead, StreamDelivery.Linger streamLinger, int maxStreamItems,
            FullStreams fullStreams) {
        this.answerWait = answerWait;
        this.futureLead = futureLead;
        this.streamLinger = streamLinger;
        this.maxStreamItems = maxStreamItems;
        this.fullStreams = fullStreams;
        this.sender = sender;
        this.channelIds = channelIds;
        this.status = status;
        this.observer = observer;
        this.callbacks = callbacks;
        this.deadlines = new DeadlineSweeper(deadlines, this.pending, this::expire);
        this.async = async;
    }

    /** Number of calls waiting for an answer. */
    int size() {
        return this.pending.size();
    }

    /**
     * A unary call completing a future on the callback executor; cancelling the future cancels the call. A thread that
     * waits on the future reads for the answer first ({@link LeadingFuture}).
     */
    CompletableFuture<byte[]> unary(int methodId, byte[] request, long timeoutNanos) {
        CallFuture future = new CallFuture();
        RapaceException rejected = this.status.rejection();
        if (rejected != null) {
            future.completeExceptionally(rejected);
            return future;
        }
        int channelId = this.channelIds.next(this.channelInUse);
        FutureCall call = new FutureCall(channelId, methodId, timeoutNanos, future, this.callbacks, this.futureLead);
        future.attach(call);
        future.onCancel(() -> cancelledLocally(call));
        if (start(call, request, request.length, timeoutNanos)) {
            coverDeadline(call);
        }
        return future;
    }

    /**
     * A unary call whose caller waits for the answer on its own thread: it reads the ring itself while its
     * answer is due ({@link ReceiveRole}), else is woken directly by the receive loop (no callback thread in
     * between), and its own deadline timer (it parks until then and expires the call itself; the sweep leaves it
     * alone, since the thread reuses the call object once the call ended). An interrupt cancels the call.
     *
     * @throws RapaceException the peer's error, DEADLINE_EXCEEDED, CANCELLED (interrupted; the interrupt
     *     stays set), PEER_DIED, SESSION_CLOSED or RESOURCE_EXHAUSTED
     */
    byte[] unaryBlocking(int methodId, byte[] request, long timeoutNanos) {
        BlockingCall call = startBlocking(methodId, request, request.length, timeoutNanos, null, false);
        return (byte[]) awaitBlocking(call).resultOrThrow();
    }

    /**
     * {@link #unaryBlocking(int, byte[], long)} with the request in {@code request}, the calling thread's writer from
     * {@link Codecs#takeWriter()}, given back as soon as the request is in the ring (or the call failed
     * before), so that the thread can encode again while it waits (an answer it serves meanwhile); and the answer
     * decoded by {@code resultCodec} on the thread that reads it, straight from the frame.
     *
     * @throws RapaceException as {@link #unaryBlocking(int, byte[], long)}, and {@code INVALID_ARGUMENT} when the
     *     answer does not decode
     */
    @Nullable Object unaryBlocking(int methodId, PostcardWriter request, long timeoutNanos, PostcardCodec<?> resultCodec) {
        return awaitBlocking(startBlocking(methodId, request, timeoutNanos, resultCodec, false)).resultOrThrow();
    }

    /**
     * {@link #unaryBlocking(int, PostcardWriter, long, PostcardCodec)} for an answer of a primitive type, read as its
     * raw bits ({@link io.rapace.core.codec.Unboxed#decodeBits}): no box.
     */
    long unaryBlockingBits(int methodId, PostcardWriter request, long timeoutNanos, PostcardCodec<?> resultCodec) {
        return awaitBlocking(startBlocking(methodId, request, timeoutNanos, resultCodec, true)).bitsOrThrow();
    }

    /** Starts a blocking call of the request in the thread's writer, given back once the request is in the ring. */
    private BlockingCall startBlocking(int methodId, PostcardWriter request, long timeoutNanos,
            PostcardCodec<?> resultCodec, boolean answerAsBits) {
        try {
            return startBlocking(methodId, request.buffer(), request.size(), timeoutNanos, resultCodec, answerAsBits);
        }
        finally {
            Codecs.releaseWriter(request);
        }
    }

    /**
     * Registers a blocking call and sends its request {@code request[0, length)}; a call that could not be sent has
     * ended already (its failure is its outcome).
     */
    private BlockingCall startBlocking(int methodId, byte[] request, int length, long timeoutNanos,
            @Nullable PostcardCodec<?> resultCodec, boolean answerAsBits) {
        RapaceException rejected = this.status.rejection();
        if (rejected != null) {
            throw rejected;
        }
        int channelId = this.channelIds.next(this.channelInUse);
        BlockingCall call = ThreadScratch.blockingCall(channelId, methodId, timeoutNanos, resultCodec, answerAsBits);
        // The call's one clock read is its start (a read costs about 50 ns on a VM): deadline and wait derive from it.
        start(call, request, length, timeoutNanos);
        return call;
    }

    /** Waits until a started blocking call has ended, or is about to (its outcome is then imminent). */
    private BlockingCall awaitBlocking(BlockingCall call) {
        // Waits for the answer or the deadline; returns at once when the call is done already (answered at once, or not
        // sent: failed by start), but passes through the wait even then, which learns from it that callers wait.
        if (!this.answerWait.await(call, call.startNanos(), call.deadline())) {
            if (Thread.currentThread().isInterrupted()) {
                if (cancelledLocally(call)) {
                    throw new RapaceException(ErrorCode.CANCELLED, "call to method " + Integer.toUnsignedString(call.methodId())
                            + " on channel " + Integer.toUnsignedString(call.channelId()) + " was interrupted");
                }
            }
            else {
                expire(call);
            }
        }
        // Ended by now, or about to be: answered, failed, expired above, or ended by another thread meanwhile.
        return call;
    }

    <T> Flux<T> streaming(int methodId, byte[] request, long timeoutNanos, FrameDecoder<T> decoder) {
        return Flux.defer(() -> {
            StreamBuffer buffer = new StreamBuffer(this.maxStreamItems, this.fullStreams);
            return Flux.<T>create(sink -> {
                RapaceException rejected = this.status.rejection();
                if (rejected != null) {
                    sink.error(rejected);
                    return;
                }
                int channelId = this.channelIds.next(this.channelInUse);
                StreamCall<T> call = new StreamCall<>(channelId, methodId, timeoutNanos, sink, decoder, buffer);
                // Runs after complete, error and cancel; only a cancel still finds the call registered.
                sink.onDispose(() -> {
                    buffer.release();
                    cancelledLocally(call);
                });
                if (start(call, request, request.length, timeoutNanos)) {
                    coverDeadline(call);
                }
                // A cancel that raced with start() ran onDispose before the call was registered.
                if (sink.isCancelled()) {
                    cancelledLocally(call);
                }
            // BUFFER only holds what arrives between the buffer filling up and the reader holding off (one read
            // batch at most): the StreamBuffer, not the sink, bounds what waits for the subscriber.
            }, FluxSink.OverflowStrategy.BUFFER)
                    .publishOn(Schedulers.fromExecutor(new StreamDelivery(this.callbacks, this.streamLinger), true), Math.min(this.maxStreamItems, reactor.util.concurrent.Queues.SMALL_BUFFER_SIZE))
                    .doOnNext(item -> buffer.delivered());
        });
    }

    /** Whether some stream's buffer is full, so the reader must hold off. */
    boolean streamsFull() {
        return this.fullStreams.any();
    }

    /**
     * The caller gave the call up (cancelled future or subscription, interrupted wait): if it was still
     * waiting, ends it as CANCELLED without completing it again, and tells the peer. True when it did.
     */
    private boolean cancelledLocally(PendingCall call) {
        int channelId = call.channelId();
        if (!this.pending.remove(channelId, call)) {
            return false;
        }
        completed(call.methodId(), call.startNanos(), ErrorCode.CANCELLED);
        sendCancel(channelId, ControlVerbs.REASON_CLIENT_CANCEL);
        return true;
    }

    /** Registers the call and sends its request; true when it is waiting for its answer, false when it has ended. */
    private boolean start(PendingCall call, byte[] request, int length, long timeoutNanos) {
        int channelId = call.channelId();
        this.pending.put(channelId, call);
        // Re-check after registering: close() may have drained the registry just before we put the call.
        RapaceException rejected = this.status.rejection();
        if (rejected != null) {
            finish(call, rejected);
            return false;
        }
        try {
            this.sender.send(channelId, call.methodId(), FrameFlags.DATA | FrameFlags.EOS,
                    deadlineNs(call.startNanos(), timeoutNanos), request, length);
        }
        catch (RapaceException ex) {
            finish(call, ex);
            return false;
        }
        return true;
    }

    /** Has the session's timer expire the registered call at its deadline, unless it ends first. */
    private void coverDeadline(PendingCall call) {
        try {
            this.deadlines.cover(call.deadline());
        }
        catch (RejectedExecutionException ended) {
            // The session ended between the state check and now: its timer thread is gone.
            RapaceException rejected = this.status.rejection();
            finish(call, rejected != null ? rejected : new RapaceException(ErrorCode.SESSION_CLOSED, this.status.description() + " is closed"));
        }
    }

    /** A frame arrived on one of our channels. Runs on the receive loop. */
    void onFrame(Frame frame) {
        int channelId = frame.channelId();
        boolean error = frame.hasFlag(FrameFlags.ERROR);
        boolean eos = frame.hasFlag(FrameFlags.EOS);
        boolean ends = error || eos || frame.hasFlag(FrameFlags.DATA);
        // A frame that ends a unary call takes it out of the registry in the same look: from here on this thread alone
        // ends it (no deadline, cancel or close can any more), so a copy or decode that fails below must end it too.
        PendingCall call = ends ? this.pending.getRemovingIf(channelId, UnaryCall.class) : this.pending.get(channelId);
        if (call == null) {
            // A late answer (after a deadline or cancel): drop it; the transport frees its slot.
            Log.LOG.log(System.Logger.Level.TRACE, "dropped frame on channel {0} with no waiting call (flags 0x{1})",
                    Integer.toUnsignedString(channelId), Integer.toHexString(frame.flags()));
            return;
        }
        if (!ends) {
            Log.LOG.log(System.Logger.Level.DEBUG, "ignored frame without DATA/EOS/ERROR on channel {0} (flags 0x{1})",
                    Integer.toUnsignedString(channelId), Integer.toHexString(frame.flags()));
            return;
        }
        switch (call) {
            case UnaryCall unary -> {
                if (error) {
                    end(unary, decodeError(frame));
                }
                else {
                    answered(unary, frame);
                }
            }
            case StreamCall<?> stream -> {
                if (error) {
                    finish(channelId, stream, decodeError(frame));
                }
                else {
                    streamFrame(channelId, stream, frame, eos);
                }
            }
        }
    }

    /** Ends a unary call this thread took out of the registry with its answer in {@code frame}. */
    private void answered(UnaryCall unary, Frame frame) {
        Object answer;
        try {
            answer = unary.answerOf(frame);
        }
        catch (RapaceException malformed) {
            end(unary, malformed);
            return;
        }
        catch (RuntimeException | OutOfMemoryError | LinkageError ex) {
            // LinkageError: a record class of the answer that fails to initialise, a caller's problem only.
            end(unary, copyFailed(frame, ex));
            return;
        }
        // Read before the answer lands: a blocking call's thread may then reuse the call object.
        int methodId = unary.methodId();
        long startNanos = unary.startNanos();
        unary.succeed(answer);
        completed(methodId, startNanos, ErrorCode.OK);
    }

    /**
     * Ends with {@code failure} a call this thread took out of the registry (so nobody restarted it since): what it
     * reports (method, start) is read before the failure lands, after which a blocking call's thread may reuse it.
     */
    private void end(PendingCall call, RapaceException failure) {
        int methodId = call.methodId();
        long startNanos = call.startNanos();
        call.fail(failure);
        completed(methodId, startNanos, failure.errorCode());
    }

    /** A stream's item, its end, or both. */
    private void streamFrame(int channelId, StreamCall<?> stream, Frame frame, boolean eos) {
        // An item: DATA without EOS (possibly empty), or any EOS frame carrying bytes (Rust's final DATA|EOS).
        if (frame.payloadLength() > 0 || !eos) {
            try {
                stream.item(frame);
            }
            catch (RapaceException ex) {
                failAndCancel(stream, ex);
                return;
            }
            catch (RuntimeException | OutOfMemoryError | LinkageError ex) {
                failAndCancel(stream, new RapaceException(ex instanceof OutOfMemoryError ? ErrorCode.RESOURCE_EXHAUSTED
                        : ErrorCode.INVALID_ARGUMENT, "could not decode a stream item of method "
                        + Integer.toUnsignedString(stream.methodId()) + " on channel " + Integer.toUnsignedString(channelId)
                        + ": " + ex, ex));
                return;
            }
        }
        if (eos && this.pending.remove(channelId, stream)) {
            stream.complete();
            completed(stream.methodId(), stream.startNanos(), ErrorCode.OK);
        }
    }

    /** Ends the stream with {@code failure} and tells the server to stop sending. */
    private void failAndCancel(PendingCall call, RapaceException failure) {
        if (finish(call, failure)) {
            sendCancel(call.channelId(), ControlVerbs.REASON_CLIENT_CANCEL);
        }
    }

    private static RapaceException copyFailed(Frame frame, Throwable ex) {
        return new RapaceException(ex instanceof OutOfMemoryError ? ErrorCode.RESOURCE_EXHAUSTED : ErrorCode.INTERNAL,
                "could not read the " + frame.payloadLength() + "-byte answer on channel "
                + Integer.toUnsignedString(frame.channelId()) + " from the segment: " + ex, ex);
    }

    /** Fails every waiting call at once (close, peer death). */
    void failAll(RapaceException failure) {
        for (PendingCall call : this.pending) {
            finish(call, failure);
        }
        this.deadlines.cancel();
    }

    private void expire(PendingCall call) {
        int channelId = call.channelId();
        if (finish(channelId, call, new RapaceException(ErrorCode.DEADLINE_EXCEEDED, "call to method "
                + Integer.toUnsignedString(call.methodId()) + " on channel " + Integer.toUnsignedString(channelId)
                + " got no answer within " + TimeUnit.NANOSECONDS.toMillis(call.timeoutNanos()) + " ms"))) {
            sendCancel(channelId, ControlVerbs.REASON_DEADLINE_EXCEEDED);
        }
    }

    /** Ends the call with an error if it is still registered; true when this call ended it. */
    private boolean finish(PendingCall call, RapaceException failure) {
        return finish(call.channelId(), call, failure);
    }

    /**
     * Ends the call with an error if it is still registered on {@code channelId}; true when this call ended it. A
     * thread that found the call earlier passes the channel it found it on, never the call's own: a blocking call's
     * thread reuses the object for its next call once this one ended (the removal then fails, as it should).
     */
    private boolean finish(int channelId, PendingCall call, RapaceException failure) {
        // A call restarted since it was found is registered under another channel: the removal fails.
        if (!this.pending.remove(channelId, call)) {
            return false;
        }
        end(call, failure);
        return true;
    }

    /**
     * Tells the server to stop: a {@code CANCEL} frame on the channel (what a Java server acts on) and a
     * {@code CancelChannel} on channel 0 (what the Rust reference's Session layer acts on). Neither carries
     * DATA, so a peer that understands neither ignores both. Sent off the caller's thread, best effort.
     */
    private void sendCancel(int channelId, int reason) {
        if (!this.status.isOpen()) {
            return;
        }
        this.async.execute(() -> {
            try {
                this.sender.send(channelId, 0, FrameFlags.CANCEL, DescriptorLayout.NO_DEADLINE, EMPTY);
                this.sender.send(0, ControlVerbs.CANCEL_CHANNEL, FrameFlags.CONTROL, DescriptorLayout.NO_DEADLINE,
                        ControlVerbs.encodeCancelChannel(channelId, reason));
            }
            catch (RapaceException ex) {
                Log.LOG.log(System.Logger.Level.DEBUG, "could not send cancel for channel {0}: {1}",
                        Integer.toUnsignedString(channelId), ex.getMessage());
            }
        });
    }

    private void completed(int methodId, long startNanos, ErrorCode outcome) {
        if (this.observer == SessionObserver.NONE) {
            return;  // nobody times calls: no clock read
        }
        try {
            this.observer.onClientCallCompleted(methodId, outcome, System.nanoTime() - startNanos);
        }
        catch (RuntimeException ex) {
            Log.LOG.log(System.Logger.Level.WARNING, "session observer failed", ex);
        }
    }

    private static RapaceException decodeError(Frame frame) {
        try {
            return ErrorPayload.decode(payloadOf(frame)).toException();
        }
        catch (RapaceException malformed) {
            return malformed;
        }
    }

    /** The payload as an array (the shared empty one when there is none); also the plain streaming decoder. */
    static byte[] payloadOf(Frame frame) {
        return frame.payloadLength() == 0 ? EMPTY : frame.payloadBytes();
    }

    /** The descriptor deadline: monotonic nanoseconds, never the NO_DEADLINE sentinel by accident. */
    static long deadlineNs(long now, long timeoutNanos) {
        long deadline = timeoutNanos > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + timeoutNanos;
        return deadline == DescriptorLayout.NO_DEADLINE ? deadline - 1 : deadline;
    }
}
