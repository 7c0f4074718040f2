package io.rapace.core.session;

import io.rapace.transport.shm.Frame;

import io.rapace.core.RapaceException;
import reactor.core.publisher.FluxSink;

/**
 * A pending server-streaming call. Its sink buffers without bound and is drained through
 * {@code publishOn} onto the callback executor, so that {@link #item} never blocks the receive loop.
 */
final class StreamCall<T> extends PendingCall {

    private final FluxSink<T> sink;

    private final FrameDecoder<T> decoder;

    StreamCall(int channelId, int methodId, long timeoutNanos, FluxSink<T> sink, FrameDecoder<T> decoder) {
        super(channelId, methodId, timeoutNanos);
        this.sink = sink;
        this.decoder = decoder;
    }

    /** Decodes the item from the frame (copying what it keeps) and hands it on; throws what the decoder throws. */
    void item(Frame frame) {
        this.sink.next(this.decoder.decode(frame));
    }

    void complete() {
        this.sink.complete();
    }

    @Override
    void fail(RapaceException failure) {
        this.sink.error(failure);
    }
}
