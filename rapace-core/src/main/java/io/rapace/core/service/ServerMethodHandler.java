package io.rapace.core.service;

import java.lang.invoke.MethodHandle;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

import io.rapace.core.ErrorCode;
import io.rapace.core.codec.Codecs;
import io.rapace.core.session.MethodHandler;
import io.rapace.core.session.ServerCall;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Serves one method: decodes the argument tuple (failure: InvalidArgument), invokes the implementation,
 * and answers by the result shape. Runs on the session's handler virtual thread, so waiting for a future
 * and blocking while the transport applies backpressure are both fine; a {@link NonBlocking} method that
 * returns a value runs on the receive thread instead ({@link #isNonBlocking()}).
 */
final class ServerMethodHandler implements MethodHandler {

    private final MethodDefinition method;

    /** {@code (Object[]) -> Object}, bound to the implementation. */
    private final MethodHandle invoker;

    private final boolean nonBlocking;

    ServerMethodHandler(MethodDefinition method, MethodHandle invoker, boolean nonBlocking) {
        this.method = method;
        this.invoker = invoker;
        this.nonBlocking = nonBlocking;
    }

    @Override
    public boolean isNonBlocking() {
        return this.nonBlocking;
    }

    @Override
    public void handle(ServerCall call) {
        Object[] arguments;
        try {
            arguments = Codecs.decode(this.method.argumentsCodec(), call.requestPayload());
        }
        catch (RuntimeException ex) {
            ErrorReplies.failQuietly(call, ErrorCode.INVALID_ARGUMENT,
                    "cannot decode the arguments of " + this.method.qualifiedName() + ": " + ex.getMessage());
            return;
        }
        Object result;
        try {
            result = (Object) this.invoker.invokeExact(arguments);
        }
        catch (Throwable failure) {
            ErrorReplies.fail(call, this.method, failure);
            return;
        }
        switch (this.method.shape()) {
            case VALUE -> respond(call, result);
            case COMPLETABLE_FUTURE, COMPLETION_STAGE -> {
                if (result instanceof CompletionStage<?> stage) {
                    awaitAndRespond(call, stage.toCompletableFuture());
                }
                else {
                    returnedNull(call);
                }
            }
            case MONO -> {
                if (result instanceof Mono<?> mono) {
                    awaitAndRespond(call, mono.toFuture());
                }
                else {
                    returnedNull(call);
                }
            }
            case FLUX -> {
                if (result instanceof Flux<?> flux) {
                    FluxResponder.stream(call, this.method, flux);
                }
                else {
                    returnedNull(call);
                }
            }
        }
    }

    /** Answers the result, encoded by the session into the thread's reusable writer (no array per call). */
    private void respond(ServerCall call, @Nullable Object result) {
        try {
            call.respond(this.method.resultCodec(), result);
        }
        catch (RuntimeException ex) {
            if (ex instanceof IllegalStateException && call.isEnded()) {
                throw ex;  // the call had already ended: as respond(byte[]) throws it
            }
            // Encoding failed, before anything was sent: the call is still open.
            ErrorReplies.failQuietly(call, ErrorCode.INTERNAL,
                    "cannot encode the result of " + this.method.qualifiedName() + ": " + ex);
        }
    }

    private void awaitAndRespond(ServerCall call, CompletableFuture<?> future) {
        // Cancelling a Mono's future disposes its subscription; a plain future is just told.
        call.onCancel(() -> future.cancel(true));
        Object value;
        try {
            value = future.get();
        }
        catch (InterruptedException ex) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            ErrorReplies.failQuietly(call, ErrorCode.CANCELLED, this.method.qualifiedName() + " was interrupted");
            return;
        }
        catch (CancellationException ex) {
            ErrorReplies.failQuietly(call, ErrorCode.CANCELLED, this.method.qualifiedName() + " was cancelled");
            return;
        }
        catch (ExecutionException ex) {
            ErrorReplies.fail(call, this.method, ex);
            return;
        }
        respond(call, value);
    }

    private void returnedNull(ServerCall call) {
        ErrorReplies.failQuietly(call, ErrorCode.INTERNAL, MethodDefinition.describe(this.method.javaMethod())
                + " returned null instead of a " + this.method.javaMethod().getReturnType().getSimpleName());
    }

    @Override
    public String toString() {
        return "handler of " + this.method.qualifiedName() + (this.nonBlocking ? " (non-blocking)" : "");
    }
}
