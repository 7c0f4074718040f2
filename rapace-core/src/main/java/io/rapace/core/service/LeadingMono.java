package io.rapace.core.service;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The {@code Mono} of a typed unary call. Subscribed, it is {@code Mono.fromFuture} of the call: made at
 * subscription, cancelled with it. Blocked on directly ({@link #block()}, {@link #block(Duration)}), it makes the call
 * and waits on the call's future, which reads the answer on the waiting thread while it is due (the session's
 * futures lead, as a blocking call does), rather than parking on a latch until a callback thread signals it: the
 * difference between about 0.5 µs and 20-40 µs a call next to a busy-polling peer on two cores. What it throws is
 * what Reactor's {@code block} throws.
 */
final class LeadingMono extends Mono<@Nullable Object> {

    private final Supplier<CompletableFuture<@Nullable Object>> call;

    private final Mono<@Nullable Object> subscribed;

    LeadingMono(Supplier<CompletableFuture<@Nullable Object>> call) {
        this.call = call;
        this.subscribed = Mono.fromFuture(call);
    }

    @Override
    public void subscribe(CoreSubscriber<? super @Nullable Object> actual) {
        this.subscribed.subscribe(actual);
    }

    @Override
    public @Nullable Object block() {
        return await(-1);
    }

    @Override
    public @Nullable Object block(Duration timeout) {
        return await(timeout.toNanos());
    }

    /** Makes the call and waits for its value, for at most {@code nanos} unless negative. */
    private @Nullable Object await(long nanos) {
        if (Schedulers.isInNonBlockingThread()) {
            throw new IllegalStateException("block()/blockFirst()/blockLast() are blocking, which is not supported in "
                    + "thread " + Thread.currentThread().getName());
        }
        CompletableFuture<@Nullable Object> answer = this.call.get();
        try {
            return nanos < 0 ? answer.get() : answer.get(nanos, TimeUnit.NANOSECONDS);
        }
        catch (ExecutionException failed) {
            Throwable cause = failed.getCause() != null ? failed.getCause() : failed;
            throw Exceptions.addSuppressed(Exceptions.propagate(cause), new Exception("#block terminated with an error"));
        }
        catch (CancellationException cancelled) {
            throw Exceptions.addSuppressed(cancelled, new Exception("#block terminated with an error"));
        }
        catch (TimeoutException late) {
            answer.cancel(true);  // cancels the call, as a disposed subscription does
            String message = "Timeout on blocking read for " + nanos + " " + TimeUnit.NANOSECONDS;
            throw new IllegalStateException(message, new TimeoutException(message));
        }
        catch (InterruptedException interrupted) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw Exceptions.addSuppressed(Exceptions.propagate(interrupted), new Exception("#block has been interrupted"));
        }
    }
}
