package io.rapace.core.session;

import io.rapace.transport.shm.Frame;

import io.rapace.core.RapaceException;
import reactor.core.publisher.FluxSink;

/**
 * A pending server-streaming call. Its sink hands items on through {@code publishOn} onto the stream's own
 * delivery executor ({@link StreamDelivery}: a callback thread that lingers for the next item), so that {@link #item} never blocks the receive loop; its {@link StreamBuffer} bounds how many
 * wait for the subscriber (once full, the session's reader holds off until the subscriber catches up).
 */
final class StreamCall<T> extends PendingCall {

    private final FluxSink<T> sink;

    private final FrameDecoder<T> decoder;

    private final StreamBuffer buffer;

    StreamCall(int channelId, int methodId, long timeoutNanos, FluxSink<T> sink, FrameDecoder<T> decoder,
            StreamBuffer buffer) {
        super(channelId, methodId, timeoutNanos);
        this.sink = sink;
        this.decoder = decoder;
        this.buffer = buffer;
    }

    /** Decodes the item from the frame (copying what it keeps) and hands it on; throws what the decoder throws. */
    void item(Frame frame) {
        this.sink.next(this.decoder.decode(frame));
        this.buffer.added();
    }

    void complete() {
        this.buffer.release();
        this.sink.complete();
    }

    @Override
    void fail(RapaceException failure) {
        this.buffer.release();
        this.sink.error(failure);
    }
}
