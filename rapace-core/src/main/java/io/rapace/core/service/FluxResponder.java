package io.rapace.core.service;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import io.rapace.core.ErrorCode;
import io.rapace.core.codec.PostcardWriter;
import io.rapace.core.session.ServerCall;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;

/**
 * Streams a {@link Flux} result from the handler's virtual thread: items are requested one at a time, handed
 * over from whatever thread the Flux emits on, and sent by the handler thread; the next item is requested
 * only once the previous one is in the ring, so the transport's backpressure reaches the producer and never
 * blocks a Reactor thread. Then EOS; an error ends the stream with an error frame; a cancelled call disposes
 * the subscription.
 */
final class FluxResponder extends BaseSubscriber<Object> {

    /** What the subscriber hands to the handler thread: an item or how the stream ended. */
    private sealed interface Signal {
        /** One item. */
        record Item(Object value) implements Signal { }
        /** The Flux completed. */
        record Completed() implements Signal { }
        /** The Flux failed. */
        record Failed(Throwable failure) implements Signal { }
        /** The subscription was cancelled (the call was cancelled). */
        record Cancelled() implements Signal { }
    }

    private final ServerCall call;

    private final MethodDefinition method;

    /** The encoding buffer, reused for every item; used by the handler thread only. */
    private final PostcardWriter itemBuffer = new PostcardWriter(256);

    /** At most one item (one is requested at a time) plus one terminal signal. */
    private final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();

    private FluxResponder(ServerCall call, MethodDefinition method) {
        this.call = call;
        this.method = method;
    }

    /** Subscribes to {@code flux} and sends its items on the calling (handler) thread until the stream ends. */
    static void stream(ServerCall call, MethodDefinition method, Flux<?> flux) {
        FluxResponder responder = new FluxResponder(call, method);
        call.onCancel(responder::dispose);
        flux.subscribe(responder);
        responder.sendUntilEnd();
    }

    @Override
    protected void hookOnSubscribe(Subscription subscription) {
        subscription.request(1);
    }

    @Override
    protected void hookOnNext(Object item) {
        this.signals.add(new Signal.Item(item));
    }

    @Override
    protected void hookOnComplete() {
        this.signals.add(new Signal.Completed());
    }

    @Override
    protected void hookOnError(Throwable failure) {
        this.signals.add(new Signal.Failed(failure));
    }

    @Override
    protected void hookOnCancel() {
        this.signals.add(new Signal.Cancelled());
    }

    private void sendUntilEnd() {
        while (true) {
            Signal signal;
            try {
                signal = this.signals.take();
            }
            catch (InterruptedException ex) {
                dispose();
                Thread.currentThread().interrupt();
                ErrorReplies.failQuietly(this.call, ErrorCode.CANCELLED, this.method.qualifiedName() + " was interrupted");
                return;
            }
            switch (signal) {
                case Signal.Item(Object value) -> {
                    if (!send(value)) {
                        return;
                    }
                    request(1);
                }
                case Signal.Completed() -> {
                    if (!this.call.isEnded()) {
                        this.call.complete();
                    }
                    return;
                }
                case Signal.Failed(Throwable failure) -> {
                    ErrorReplies.fail(this.call, this.method, failure);
                    return;
                }
                case Signal.Cancelled() -> {
                    ErrorReplies.failQuietly(this.call, ErrorCode.CANCELLED, this.method.qualifiedName() + " was cancelled");
                    return;
                }
            }
        }
    }

    /**
     * Encodes and sends one item; on failure disposes the subscription, answers the error, returns false.
     * Every item is encoded into the same buffer and sent from it: no array per item (bulk streams of large
     * items would otherwise allocate two item-sized arrays each).
     */
    private boolean send(Object value) {
        PostcardWriter out = this.itemBuffer;
        try {
            out.reset();
            this.method.resultCodec().encode(value, out);
        }
        catch (RuntimeException ex) {
            dispose();
            ErrorReplies.failQuietly(this.call, ErrorCode.INTERNAL,
                    "cannot encode an item of " + this.method.qualifiedName() + ": " + ex);
            return false;
        }
        try {
            this.call.sendItem(out.buffer(), out.size());
            return true;
        }
        catch (RuntimeException ex) {
            dispose();
            ErrorReplies.fail(this.call, this.method, ex);
            return false;
        }
    }
}
