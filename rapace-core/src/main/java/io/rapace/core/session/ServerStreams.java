package io.rapace.core.session;

import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;

/** Bridges a reactive stream of encoded items to the server side of a streaming call. */
public final class ServerStreams {

    private ServerStreams() {
    }

    /**
     * Sends every item of {@code items} as a stream item, then {@code EOS}; an error ends the call with
     * {@code ERROR|EOS} (a {@link RapaceException}'s code, otherwise {@code INTERNAL}); a cancel from the
     * caller disposes the subscription. Items are requested one at a time and sent by the calling handler
     * thread (a virtual thread), the next one only once the previous one is in the ring, so the ring's
     * backpressure reaches the source. Blocks until the stream has ended or was cancelled, so a handler can
     * simply {@code return ServerStreams.forward(...)}. The cancel hook is in place before the subscription,
     * so even a synchronous source that never ends stops when the caller cancels. A source that cannot slow
     * down ({@code Flux.interval}, a hot sink) fails with Reactor's overflow error when the peer reads slower
     * than it emits: give it an {@code onBackpressureBuffer}/{@code Drop}/{@code Latest} policy.
     *
     * @throws InterruptedException when the handler thread is interrupted (session closing); the
     *     subscription is disposed first
     */
    public static void forward(ServerCall call, Flux<byte[]> items) throws InterruptedException {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(items, "items");
        OneAtATime forwarder = new OneAtATime();
        call.onCancel(forwarder::dispose);
        items.subscribe(forwarder);
        try {
            forwarder.sendUntilEnd(call);
        }
        finally {
            forwarder.dispose();
        }
    }

    /**
     * Requests one item at a time and hands each signal to the handler thread, whatever thread the source
     * emits on. At most one item and one terminal signal are ever queued.
     */
    private static final class OneAtATime extends BaseSubscriber<byte[]> {

        /** An item ({@code byte[]}), {@link #COMPLETED}, a {@link Throwable}, or {@link #CANCELLED}. */
        private final BlockingQueue<Object> signals = new ArrayBlockingQueue<>(2);

        private static final Object COMPLETED = new Object();

        private static final Object CANCELLED = new Object();

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            subscription.request(1);
        }

        @Override
        protected void hookOnNext(byte[] item) {
            this.signals.offer(item);
        }

        @Override
        protected void hookOnComplete() {
            this.signals.offer(COMPLETED);
        }

        @Override
        protected void hookOnError(Throwable failure) {
            this.signals.offer(failure);
        }

        @Override
        protected void hookOnCancel() {
            this.signals.offer(CANCELLED);
        }

        void sendUntilEnd(ServerCall call) throws InterruptedException {
            while (true) {
                Object signal = this.signals.take();
                if (signal instanceof byte[] item) {
                    if (call.isCancelled()) {
                        return;
                    }
                    call.sendItem(item);
                    request(1);
                }
                else if (signal == COMPLETED) {
                    if (!call.isEnded()) {
                        call.complete();
                    }
                    return;
                }
                else if (signal instanceof Throwable error) {
                    if (!call.isEnded()) {
                        ErrorCode code = error instanceof RapaceException rapace && rapace.errorCode() != ErrorCode.OK
                                ? rapace.errorCode() : ErrorCode.INTERNAL;
                        call.fail(code, error.getMessage() != null ? error.getMessage() : error.getClass().getName());
                    }
                    return;
                }
                else {
                    return;  // cancelled: the caller was told nothing more is coming
                }
            }
        }
    }
}
