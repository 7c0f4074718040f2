package io.rapace.core.service;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import io.rapace.core.ErrorCode;
import io.rapace.core.codec.Codecs;
import io.rapace.core.session.ServerCall;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;

/**
 * Streams a {@link Flux} result: one DATA frame per item, requested one at a time so that the next item is
 * produced only once the previous one is in the ring (the transport's backpressure reaches the producer),
 * then EOS; an error ends the stream with an error frame; a cancelled call disposes the subscription.
 */
final class FluxResponder extends BaseSubscriber<Object> {

    private final ServerCall call;

    private final MethodDefinition method;

    private final CompletableFuture<Void> done = new CompletableFuture<>();

    private FluxResponder(ServerCall call, MethodDefinition method) {
        this.call = call;
        this.method = method;
    }

    /** Subscribes to {@code flux} and blocks the calling (handler) thread until the stream has ended. */
    static void stream(ServerCall call, MethodDefinition method, Flux<?> flux) {
        FluxResponder responder = new FluxResponder(call, method);
        call.onCancel(responder::dispose);
        flux.subscribe(responder);
        responder.awaitEnd();
    }

    @Override
    protected void hookOnSubscribe(Subscription subscription) {
        subscription.request(1);
    }

    @Override
    protected void hookOnNext(Object item) {
        // Encoding or sending may throw; BaseSubscriber then cancels upstream and calls hookOnError.
        this.call.sendItem(Codecs.encode(this.method.resultCodec(), item));
        request(1);
    }

    @Override
    protected void hookOnComplete() {
        this.done.complete(null);
    }

    @Override
    protected void hookOnError(Throwable failure) {
        this.done.completeExceptionally(failure);
    }

    @Override
    protected void hookOnCancel() {
        this.done.cancel(false);
    }

    private void awaitEnd() {
        try {
            this.done.get();
        }
        catch (InterruptedException ex) {
            dispose();
            Thread.currentThread().interrupt();
            ErrorReplies.failQuietly(this.call, ErrorCode.CANCELLED, this.method.qualifiedName() + " was interrupted");
            return;
        }
        catch (CancellationException ex) {
            ErrorReplies.failQuietly(this.call, ErrorCode.CANCELLED, this.method.qualifiedName() + " was cancelled");
            return;
        }
        catch (ExecutionException ex) {
            ErrorReplies.fail(this.call, this.method, ex);
            return;
        }
        if (!this.call.isEnded()) {
            this.call.complete();
        }
    }
}
