package io.rapace.core.service;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.core.codec.Codecs;
import io.rapace.core.session.RpcSession;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * One call of a remote method over a given session, by the method's result shape: encodes the arguments, calls,
 * decodes the answer, and names the method in an {@code UNIMPLEMENTED} failure. Where the session comes from is
 * the caller's business ({@link CallRouting}).
 */
final class RemoteCalls {

    private RemoteCalls() {
    }

    /**
     * A plain-value call: the caller's thread waits for the answer, woken directly by the session, which encodes
     * the arguments and decodes the answer without an array per call.
     */
    static @Nullable Object blocking(RpcSession session, MethodDefinition method, Object[] arguments,
            @Nullable Duration timeout) {
        try {
            return session.callBlocking(method.id(), method.argumentsCodec(), arguments, method.resultCodec(), timeout);
        }
        catch (RapaceException rapace) {
            throw blockingFailure(method, rapace);
        }
    }

    /**
     * What a blocking call of {@code method} throws for the session's {@code failure}: an {@code UNIMPLEMENTED} that
     * names the method, a {@code CANCELLED} that says the caller was interrupted, or a fresh exception whose stack
     * trace shows the caller (the session's is its cause); a code this side does not know is thrown as it came.
     */
    static RapaceException blockingFailure(MethodDefinition method, RapaceException failure) {
        if (failure.errorCode() == ErrorCode.UNIMPLEMENTED) {
            return namingTheMethod(method, failure);
        }
        if (failure.errorCode() == ErrorCode.CANCELLED && Thread.currentThread().isInterrupted()) {
            return new RapaceException(ErrorCode.CANCELLED, method.qualifiedName() + " was interrupted", failure);
        }
        if (failure.rawCode() == failure.errorCode().code()) {
            // A fresh exception, so that the stack trace shows this call site; the original is its cause.
            return new RapaceException(failure.errorCode(), messageOf(failure), failure);
        }
        return failure;
    }

    /**
     * A unary call answered through a future, which completes with the value or exceptionally with a
     * {@link RapaceException}; cancelling it cancels the call.
     */
    static CompletableFuture<@Nullable Object> future(RpcSession session, MethodDefinition method, Object[] arguments,
            @Nullable Duration timeout) {
        byte[] payload = Codecs.encode(method.argumentsCodec(), arguments);
        CompletableFuture<byte[]> response = session.call(method.id(), payload, timeout);
        CompletableFuture<@Nullable Object> result = response.handle((bytes, failure) -> {
            if (failure == null) {
                return Codecs.decode(method.resultCodec(), bytes);
            }
            Throwable cause = failure instanceof CompletionException completion && completion.getCause() != null
                    ? completion.getCause() : failure;
            throw new CompletionException(cause instanceof RapaceException rapace ? namingTheMethod(method, rapace)
                    : cause);
        });
        // Cancelling a dependent future does not reach its source: pass the cancellation on to the session.
        result.whenComplete((value, failure) -> {
            if (failure instanceof CancellationException) {
                response.cancel(true);
            }
        });
        return result;
    }

    /** A server-streaming call, made when the returned Flux is subscribed; items decoded from the mapped frames. */
    static Flux<Object> stream(RpcSession session, MethodDefinition method, Object[] arguments,
            @Nullable Duration timeout) {
        return session.callStreaming(method.id(), Codecs.encode(method.argumentsCodec(), arguments), timeout,
                        method.resultCodec())
                .onErrorMap(RapaceException.class, failure -> namingTheMethod(method, failure));
    }

    /**
     * An UNIMPLEMENTED answer names only the wire id (the peer does not know the name): this side does, so the
     * caller reads which method of which service the peer lacks. Other failures are returned as they are.
     */
    private static RapaceException namingTheMethod(MethodDefinition method, RapaceException failure) {
        if (failure.errorCode() != ErrorCode.UNIMPLEMENTED) {
            return failure;
        }
        String peerSays = messageOf(failure);
        // The peer's own words add nothing when they are the standard "Unknown method_id: N" (spec §4).
        String detail = peerSays.startsWith("Unknown method_id") ? "" : ": " + peerSays;
        return new RapaceException(ErrorCode.UNIMPLEMENTED, method.qualifiedName() + " (method id "
                + Integer.toUnsignedString(method.id()) + ") is not implemented by the peer" + detail, failure);
    }

    private static String messageOf(Throwable failure) {
        String message = failure.getMessage();
        return message != null ? message : failure.getClass().getName();
    }
}
