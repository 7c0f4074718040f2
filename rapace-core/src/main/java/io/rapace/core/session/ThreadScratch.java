package io.rapace.core.session;

import io.rapace.core.codec.Codecs;
import io.rapace.core.codec.PostcardCodec;
import io.rapace.core.codec.Unboxed;
import io.rapace.transport.shm.Frame;
import org.jspecify.annotations.Nullable;

/**
 * A platform thread's reusable answer buffer and blocking call: with the thread's reusable writer
 * ({@link Codecs#takeWriter()}), a typed call encodes its request, waits for its answer and decodes a small one
 * without allocating. A virtual thread (one per call or per task: a thread-local would cost more than it saves) and
 * a nested use on one thread (a codec's record constructor that calls out) get fresh ones. Each instance is
 * confined to its thread.
 */
final class ThreadScratch {

    /** Answers up to this size are copied into the thread's buffer and decoded there; larger ones from the mapping. */
    static final int ANSWER_CAPACITY = 256;

    private static final ThreadLocal<ThreadScratch> OF_THREAD = ThreadLocal.withInitial(ThreadScratch::new);

    private final byte[] answer = new byte[ANSWER_CAPACITY];

    private boolean answerInUse;

    /** The thread's last blocking call, reused once ended. */
    private @Nullable BlockingCall call;

    private ThreadScratch() {
    }

    /**
     * Decodes the value that fills {@code frame}'s payload exactly, on this thread while the frame is held: a small
     * payload is copied into the thread's buffer and decoded from there by {@link Codecs#decode(PostcardCodec, byte[],
     * int, int)} with the thread's reusable reader (nothing allocated but the value), a larger one from the mapping ({@link Codecs#decode(PostcardCodec, java.lang.foreign.MemorySegment)}).
     *
     * @throws io.rapace.core.RapaceException {@code INVALID_ARGUMENT} when the payload is not a valid encoding
     */
    static <T extends @Nullable Object> T decode(PostcardCodec<T> codec, Frame frame) {
        ThreadScratch scratch = withAnswerCopied(frame);
        if (scratch == null) {
            return Codecs.decode(codec, frame.payload());
        }
        try {
            return Codecs.decode(codec, scratch.answer, 0, frame.payloadLength());  // with the thread's reusable reader
        }
        finally {
            scratch.answerInUse = false;
        }
    }

    /**
     * {@link #decode} for an answer read as its raw bits ({@link Unboxed#decodeBits}): nothing allocated on a
     * platform thread.
     *
     * @throws io.rapace.core.RapaceException {@code INVALID_ARGUMENT} when the payload is not a valid encoding
     */
    static long decodeBits(PostcardCodec<?> codec, Frame frame) {
        ThreadScratch scratch = withAnswerCopied(frame);
        if (scratch == null) {
            byte[] payload = ClientCalls.payloadOf(frame);
            return Unboxed.decodeBits(codec, payload, 0, payload.length);
        }
        try {
            return Unboxed.decodeBits(codec, scratch.answer, 0, frame.payloadLength());
        }
        finally {
            scratch.answerInUse = false;
        }
    }

    /**
     * This platform thread's scratch with {@code frame}'s payload copied into its answer buffer, which it then holds
     * (the caller clears {@link #answerInUse} once decoded); null when the payload is larger than the buffer, the
     * thread is virtual, or a decode on this thread holds the buffer already.
     */
    private static @Nullable ThreadScratch withAnswerCopied(Frame frame) {
        ThreadScratch scratch = frame.payloadLength() <= ANSWER_CAPACITY ? ofPlatformThread() : null;
        if (scratch == null || scratch.answerInUse) {
            return null;
        }
        frame.copyPayload(scratch.answer, 0);
        scratch.answerInUse = true;
        return scratch;
    }

    /**
     * A new blocking call of this thread: its own call object restarted when its last call has ended (the usual
     * case), else (the first call, a virtual thread, a call made while another of this thread is in progress) a new
     * one.
     */
    static BlockingCall blockingCall(int channelId, int methodId, long timeoutNanos,
            @Nullable PostcardCodec<?> resultCodec, boolean answerAsBits) {
        ThreadScratch scratch = ofPlatformThread();
        BlockingCall call = scratch != null ? scratch.call : null;
        if (call != null && call.isDone()) {
            call.restart(channelId, methodId, timeoutNanos, resultCodec, answerAsBits);
            return call;
        }
        call = new BlockingCall(channelId, methodId, timeoutNanos, Thread.currentThread(), resultCodec, answerAsBits);
        if (scratch != null) {
            scratch.call = call;
        }
        return call;
    }

    private static @Nullable ThreadScratch ofPlatformThread() {
        return Thread.currentThread().isVirtual() ? null : OF_THREAD.get();
    }
}
