package io.rapace.core.service;

import org.jspecify.annotations.Nullable;

/**
 * How a service method hands back its result, read from the declared Java return type. Every shape but
 * {@link #FLUX} is a unary call (one response frame); {@link #FLUX} is server streaming. The wrapper types are named,
 * not loaded: Reactor's {@code Flux} and {@code Mono} are large classes that a service without them never needs
 * (about 5 ms of a plugin's cold start).
 */
enum ResultShape {

    /** The method returns the value itself ({@code void} included): a unary call, blocking for a client. */
    VALUE(null),
    /** {@code CompletableFuture<T>}: a unary call answered when the future completes. */
    COMPLETABLE_FUTURE("java.util.concurrent.CompletableFuture"),
    /** {@code CompletionStage<T>}: a unary call answered when the stage completes. */
    COMPLETION_STAGE("java.util.concurrent.CompletionStage"),
    /** {@code Mono<T>}: a unary call answered with the single value (nothing for {@code Mono<Void>}). */
    MONO("reactor.core.publisher.Mono"),
    /** {@code Flux<T>}: server streaming, one DATA frame per item, then EOS. */
    FLUX("reactor.core.publisher.Flux");

    /** The wrapper type's binary name; null for {@link #VALUE}. */
    private final @Nullable String wrapper;

    ResultShape(@Nullable String wrapper) {
        this.wrapper = wrapper;
    }

    /**
     * The shape of a declared return type: a wrapper type when it is one of the four, else {@link #VALUE}. A class of
     * that name from another class loader than the JDK's or Reactor's own is no wrapper.
     */
    static ResultShape of(Class<?> returnType) {
        String name = returnType.getName();
        for (ResultShape shape : values()) {
            String wrapper = shape.wrapper;
            if (wrapper != null && wrapper.equals(name) && returnType == load(wrapper)) {
                return shape;
            }
        }
        return VALUE;
    }

    /** The wrapper type {@code name}, loaded as this class sees it (only once a return type has its name). */
    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, ResultShape.class.getClassLoader());
        }
        catch (ClassNotFoundException ex) {
            throw new IllegalStateException(name + " is not on the class path of " + ResultShape.class, ex);
        }
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
