package io.rapace.core.service;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares that a service method returns quickly and never blocks, so the session may run it on the
 * thread that received the request instead of handing it to a handler thread.
 *
 * <p>Why it matters: the hand-off to a handler thread costs a thread wake-up per call, and on a machine
 * with few cores next to a busy-polling peer it waits out a scheduler quantum at the tail (milliseconds).
 * A method run on the receiving thread answers in about the time of the transport round trip.
 *
 * <p>Put it on the interface method, on the implementation's method, or on the interface or implementation
 * class (then it applies to every method). It applies to methods that return a value (or {@code void});
 * methods returning a {@code Mono}, {@code Flux}, {@code CompletableFuture} or {@code CompletionStage} always
 * run on a handler thread, which waits for or streams their result.
 *
 * <p>What such a method must not do, because every other request waits while it runs: I/O, sleeping,
 * waiting for locks held long, or calling the peer (a blocking call back to the peer from the receiving
 * thread is refused with an {@link IllegalStateException}: its answer could never be received). A run
 * longer than 5 ms is logged as a warning; a method that runs longer than 50 ms three times is moved to
 * handler threads for the rest of the session, with a warning naming it. Both count the run's own time: the
 * wall clock less the time its thread waited for a core on a busy machine (on Linux).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface NonBlocking {
}
