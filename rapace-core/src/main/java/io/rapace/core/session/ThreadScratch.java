package io.rapace.core.session;

import io.rapace.core.codec.Codecs;
import io.rapace.core.codec.PostcardCodec;
import io.rapace.core.codec.PostcardReader;
import io.rapace.core.codec.PostcardWriter;
import io.rapace.transport.shm.Frame;
import org.jspecify.annotations.Nullable;

/**
 * A platform thread's reusable request writer, answer buffer and blocking call: a typed call encodes its request,
 * waits for its answer and decodes a small one without allocating. A virtual thread (one per call or per task: a thread-local would cost
 * more than it saves) and a nested use on one thread (a codec's record constructor that calls out) get fresh
 * ones. Each instance is confined to its thread.
 */
final class ThreadScratch {

    /** Answers up to this size are copied into the thread's buffer and decoded there; larger ones from the mapping. */
    static final int ANSWER_CAPACITY = 256;

    /** The first capacity of a thread's writer. */
    static final int WRITER_CAPACITY = 256;

    /** A writer that grew beyond this (one large request) is dropped after use: never keep a huge buffer per thread. */
    private static final int WRITER_KEEP_LIMIT = 64 * 1024;

    /** First buffer of a one-off writer: most requests are small, and it doubles as needed. */
    private static final int ONE_OFF_CAPACITY = 16;

    private static final ThreadLocal<ThreadScratch> OF_THREAD = ThreadLocal.withInitial(ThreadScratch::new);

    private PostcardWriter writer = new PostcardWriter(WRITER_CAPACITY);

    private boolean writerInUse;

    private final byte[] answer = new byte[ANSWER_CAPACITY];

    /** Reads {@link #answer}: one reader reused (a reader made per answer escapes into the codec, which is megamorphic). */
    private final PostcardReader answerReader = new PostcardReader(this.answer);

    private boolean answerInUse;

    /** The thread's last blocking call, reused once ended. */
    private @Nullable BlockingCall call;

    private ThreadScratch() {
    }

    /**
     * A writer for one request on this thread, empty: the thread's own when it is free (give it back with
     * {@link #release}), else a fresh one.
     */
    static PostcardWriter takeWriter() {
        ThreadScratch scratch = ofPlatformThread();
        if (scratch == null || scratch.writerInUse) {
            return new PostcardWriter(ONE_OFF_CAPACITY);
        }
        scratch.writerInUse = true;
        PostcardWriter out = scratch.writer;
        out.reset();
        return out;
    }

    /** Gives back a writer from {@link #takeWriter()} on the same thread (a fresh one is simply dropped). */
    static void release(PostcardWriter out) {
        ThreadScratch scratch = ofPlatformThread();
        if (scratch == null || scratch.writer != out) {
            return;
        }
        scratch.writerInUse = false;
        if (out.buffer().length > WRITER_KEEP_LIMIT) {
            scratch.writer = new PostcardWriter(WRITER_CAPACITY);
        }
    }

    /**
     * Decodes the value that fills {@code frame}'s payload exactly, on this thread while the frame is held: a small
     * payload is copied into the thread's buffer and decoded from there with the thread's reader (nothing allocated
     * but the value), a larger
     * one decoded from the mapping ({@link Codecs#decode(PostcardCodec, java.lang.foreign.MemorySegment)}).
     *
     * @throws io.rapace.core.RapaceException {@code INVALID_ARGUMENT} when the payload is not a valid encoding
     */
    static <T extends @Nullable Object> T decode(PostcardCodec<T> codec, Frame frame) {
        int length = frame.payloadLength();
        ThreadScratch scratch = length <= ANSWER_CAPACITY ? ofPlatformThread() : null;
        if (scratch == null || scratch.answerInUse) {
            return Codecs.decode(codec, frame.payload());
        }
        scratch.answerInUse = true;
        try {
            frame.copyPayload(scratch.answer, 0);
            PostcardReader in = scratch.answerReader;
            in.reset(0, length);
            T value = codec.decode(in);
            in.expectEnd();
            return value;
        }
        finally {
            scratch.answerInUse = false;
        }
    }

    /**
     * A new blocking call of this thread: its own call object restarted when its last call has ended (the usual
     * case), else (the first call, a virtual thread, a call made while another of this thread is in progress) a new
     * one.
     */
    static BlockingCall blockingCall(int channelId, int methodId, long timeoutNanos,
            @Nullable PostcardCodec<?> resultCodec) {
        ThreadScratch scratch = ofPlatformThread();
        BlockingCall call = scratch != null ? scratch.call : null;
        if (call != null && call.isDone()) {
            call.restart(channelId, methodId, timeoutNanos, resultCodec);
            return call;
        }
        call = new BlockingCall(channelId, methodId, timeoutNanos, Thread.currentThread(), resultCodec);
        if (scratch != null) {
            scratch.call = call;
        }
        return call;
    }

    private static @Nullable ThreadScratch ofPlatformThread() {
        return Thread.currentThread().isVirtual() ? null : OF_THREAD.get();
    }
}
