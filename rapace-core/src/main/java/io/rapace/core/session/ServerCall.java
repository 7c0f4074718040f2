package io.rapace.core.session;

import io.rapace.core.ErrorCode;
import io.rapace.core.codec.Codecs;
import io.rapace.core.codec.PostcardCodec;
import io.rapace.core.codec.PostcardWriter;
import org.jspecify.annotations.Nullable;

/**
 * The server side of one incoming call: the request in, then one response, stream items, or an error
 * out. Ending methods ({@link #respond}, {@link #complete}, {@link #fail}) may be called once; later
 * calls throw {@link IllegalStateException}. All methods are thread-safe and frames are sent in the
 * order the methods are called.
 *
 * <p>Once the caller cancels (a {@code CANCEL} frame, or a {@code CancelChannel} on channel 0),
 * {@link #isCancelled()} turns true, the {@link #onCancel} actions run, and nothing more is sent:
 * items and the ending frame are silently dropped.
 */
public interface ServerCall {

    /** The channel of this call (the caller's parity). */
    int channelId();

    /** The method id the request named. */
    int methodId();

    /** The request payload (a private copy; the frame's slot is already freed). */
    byte[] requestPayload();

    /**
     * The deadline the caller wrote into the request descriptor, in {@link System#nanoTime()} (Linux
     * {@code CLOCK_MONOTONIC}) nanoseconds when the caller is a Java peer, or
     * {@link io.rapace.transport.shm.layout.DescriptorLayout#NO_DEADLINE} ({@code -1}) when the caller set none (the
     * Rust reference never sets one). Advisory: the session does not enforce it on the server side.
     */
    long deadlineNs();

    /** Whether the caller cancelled this call (or the session closed under it). */
    boolean isCancelled();

    /** Whether the call has ended (answered, completed, failed or cancelled). */
    boolean isEnded();

    /**
     * Registers an action to run once when the call is cancelled, on a thread other than the receive
     * loop; runs it at once on the calling thread when the call is already cancelled.
     */
    void onCancel(Runnable action);

    /** Sends {@code DATA|EOS} with the result and ends the call. */
    void respond(byte[] payload);

    /**
     * Sends {@code value} encoded by {@code codec} as {@link #respond(byte[])} does. The session's calls encode into
     * the thread's reusable writer, so that a handler on a platform thread (one run where the request was read)
     * answers without an array per call.
     *
     * @throws IllegalStateException when the call has ended
     * @throws RuntimeException what encoding throws, {@link io.rapace.core.codec.PostcardEncodeException} for a
     *     value the codec cannot encode; the call has not ended then, so it can still {@link #fail}
     */
    default <T extends @Nullable Object> void respond(PostcardCodec<T> codec, T value) {
        respond(Codecs.encode(codec, value));
    }

    /**
     * Sends what {@code answer} holds as {@link #respond(byte[])} does: a writer from {@link Codecs#takeWriter()} the
     * handler has filled (a served method writes a primitive result straight into it, without a box), given back by
     * this call in every case.
     *
     * @throws IllegalStateException when the call has ended
     */
    default void respond(PostcardWriter answer) {
        try {
            respond(answer.toByteArray());
        }
        finally {
            Codecs.releaseWriter(answer);
        }
    }

    /**
     * Sends one stream item as a {@code DATA} frame.
     *
     * While the ring is full or no slot is free this waits, as long as the peer lives: a caller that reads
     * slowly slows the producer down and loses nothing. Returns without sending once the call is cancelled.
     *
     * @throws IllegalStateException when the call has ended
     * @throws io.rapace.core.RapaceException when the frame cannot be sent: payload larger than a slot,
     *     peer died, session closed, or the thread interrupted while waiting (session closing)
     */
    void sendItem(byte[] payload);

    /**
     * Sends {@code payload[0, length)} as one stream item, like {@link #sendItem(byte[])}; the array may be
     * reused once this returns (the bytes are in the ring by then), so a streaming handler can encode every
     * item into one buffer instead of allocating an array per item.
     *
     * @throws IndexOutOfBoundsException when {@code length} is negative or larger than the array
     */
    default void sendItem(byte[] payload, int length) {
        java.util.Objects.checkFromIndexSize(0, length, payload.length);
        sendItem(length == payload.length ? payload : java.util.Arrays.copyOf(payload, length));
    }

    /** Sends {@code EOS} alone (empty payload) and ends the stream. */
    void complete();

    /** Sends {@code ERROR|EOS} with the code and message and ends the call. */
    void fail(ErrorCode code, String message);
}
