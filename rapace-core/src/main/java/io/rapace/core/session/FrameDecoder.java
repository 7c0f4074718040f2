package io.rapace.core.session;

import io.rapace.transport.shm.Frame;

/**
 * Turns one received stream item into its value, straight from the mapped frame, on the thread that reads
 * the ring. It must copy what it keeps (the frame is valid only during the call) and must not block; an
 * exception it throws fails the stream (a {@link io.rapace.core.RapaceException} with its code, anything
 * else as {@code INVALID_ARGUMENT}) and cancels the call at the server.
 *
 * @param <T> the item type
 */
@FunctionalInterface
interface FrameDecoder<T> {

    /** The item carried by {@code frame}. */
    T decode(Frame frame);
}
