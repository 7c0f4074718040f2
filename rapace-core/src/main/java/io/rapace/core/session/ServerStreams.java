package io.rapace.core.session;

import java.util.Objects;
import java.util.concurrent.CountDownLatch;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/** Bridges a reactive stream of encoded items to the server side of a streaming call. */
public final class ServerStreams {

    private ServerStreams() {
    }

    /**
     * Sends every item of {@code items} as a stream item, then {@code EOS}; an error ends the call with
     * {@code ERROR|EOS} (a {@link RapaceException}'s code, otherwise {@code INTERNAL}); a cancel from the
     * caller disposes the subscription. Blocks the calling handler thread (a virtual thread) until the
     * stream has ended or was cancelled, so a handler can simply {@code return ServerStreams.forward(...)}.
     *
     * @throws InterruptedException when the handler thread is interrupted (session closing); the
     *     subscription is disposed first
     */
    public static void forward(ServerCall call, Flux<byte[]> items) throws InterruptedException {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(items, "items");
        CountDownLatch done = new CountDownLatch(1);
        Disposable subscription = items.subscribe(call::sendItem, error -> {
            if (!call.isEnded()) {
                ErrorCode code = error instanceof RapaceException rapace && rapace.errorCode() != ErrorCode.OK
                        ? rapace.errorCode() : ErrorCode.INTERNAL;
                call.fail(code, error.getMessage() != null ? error.getMessage() : error.getClass().getName());
            }
            done.countDown();
        }, () -> {
            if (!call.isEnded()) {
                call.complete();
            }
            done.countDown();
        });
        call.onCancel(() -> {
            subscription.dispose();
            done.countDown();
        });
        try {
            done.await();
        }
        finally {
            subscription.dispose();
        }
    }
}
