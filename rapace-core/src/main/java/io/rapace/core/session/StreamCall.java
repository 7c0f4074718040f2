package io.rapace.core.session;

import io.rapace.core.RapaceException;
import reactor.core.publisher.FluxSink;

/**
 * A pending server-streaming call. Its sink buffers without bound and is drained through
 * {@code publishOn} onto the callback executor, so that {@link #item} never blocks the receive loop.
 */
final class StreamCall extends PendingCall {

    private final FluxSink<byte[]> sink;

    StreamCall(int channelId, int methodId, long timeoutNanos, FluxSink<byte[]> sink) {
        super(channelId, methodId, timeoutNanos);
        this.sink = sink;
    }

    void item(byte[] payload) {
        this.sink.next(payload);
    }

    void complete() {
        this.sink.complete();
    }

    @Override
    void fail(RapaceException failure) {
        this.sink.error(failure);
    }
}
