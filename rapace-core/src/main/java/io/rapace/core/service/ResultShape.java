package io.rapace.core.service;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * How a service method hands back its result, read from the declared Java return type. Every shape but
 * {@link #FLUX} is a unary call (one response frame); {@link #FLUX} is server streaming.
 */
enum ResultShape {

    /** The method returns the value itself ({@code void} included): a unary call, blocking for a client. */
    VALUE(null),
    /** {@code CompletableFuture<T>}: a unary call answered when the future completes. */
    COMPLETABLE_FUTURE(CompletableFuture.class),
    /** {@code CompletionStage<T>}: a unary call answered when the stage completes. */
    COMPLETION_STAGE(CompletionStage.class),
    /** {@code Mono<T>}: a unary call answered with the single value (nothing for {@code Mono<Void>}). */
    MONO(Mono.class),
    /** {@code Flux<T>}: server streaming, one DATA frame per item, then EOS. */
    FLUX(Flux.class);

    private final Class<?> wrapper;

    ResultShape(Class<?> wrapper) {
        this.wrapper = wrapper;
    }

    /** The shape of a declared return type: a wrapper type when it is one of the four, else {@link #VALUE}. */
    static ResultShape of(Class<?> returnType) {
        for (ResultShape shape : values()) {
            if (shape.wrapper == returnType) {
                return shape;
            }
        }
        return VALUE;
    }

    /** Whether the declared type wraps the result type (its single type argument is the result type). */
    boolean isWrapper() {
        return this != VALUE;
    }

    /** Whether calls of this shape are server-streaming. */
    boolean isStreaming() {
        return this == FLUX;
    }
}
