package io.rapace.core.service;

import java.lang.invoke.MethodHandle;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

import io.rapace.core.ErrorCode;
import io.rapace.core.codec.Codecs;
import io.rapace.core.codec.PostcardReader;
import io.rapace.core.codec.PostcardWriter;
import io.rapace.core.codec.Unboxed;
import io.rapace.core.session.MethodHandler;
import io.rapace.core.session.ServerCall;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Serves one method: reads the arguments from the request (failure: InvalidArgument) and invokes the implementation
 * ({@link GeneratedInvokers}: no argument array, no boxes for primitives), and answers by the result shape (a primitive
 * result written into the thread's writer without a box). Runs on the session's handler virtual thread, so waiting for a future
 * and blocking while the transport applies backpressure are both fine; a {@link NonBlocking} method that
 * returns a value runs on the receive thread instead ({@link #isNonBlocking()}).
 */
final class ServerMethodHandler implements MethodHandler {

    private static final byte[] NOTHING = {};

    private final MethodDefinition method;

    /** {@code (PostcardReader)long} when the result is written from its bits, else {@code (PostcardReader)Object}. */
    private final MethodHandle invoker;

    /** Whether {@link #invoker} returns the result's bits. */
    private final boolean bits;

    /** Whether {@link #invoker}'s bits are a value to write, not {@code void}'s nothing. */
    private final boolean bitsAnswered;

    private final boolean nonBlocking;

    /**
     * Serves {@code method} through {@code invoker}, which reads its arguments and invokes the implementation
     * ({@code (PostcardReader)long} when {@link MethodDefinition#resultAsBits}, else {@code (PostcardReader)Object}:
     * {@link GeneratedInvokers}, else {@link ServedInvoker}).
     */
    ServerMethodHandler(MethodDefinition method, MethodHandle invoker, boolean nonBlocking) {
        this.method = method;
        this.invoker = invoker;
        this.bits = method.resultAsBits();
        this.bitsAnswered = this.bits && method.javaMethod().getReturnType() != void.class;
        this.nonBlocking = nonBlocking;
    }

    @Override
    public boolean isNonBlocking() {
        return this.nonBlocking;
    }

    /** A plain value is answered before {@link #handle} returns; the other shapes wait for, or stream, their result. */
    @Override
    public boolean keepsCallAfterReturn() {
        return this.method.shape() != ResultShape.VALUE;
    }

    @Override
    public void handle(ServerCall call) {
        byte[] request = call.requestPayload();
        PostcardReader in = Codecs.takeReader(request, 0, request.length);
        Object result = null;
        long answer = 0;
        try {
            if (this.bits) {
                answer = (long) this.invoker.invokeExact(in);
            }
            else {
                result = (Object) this.invoker.invokeExact(in);
            }
        }
        catch (Throwable failure) {
            if (failure instanceof RuntimeException undecodable && !in.endReached()) {
                // Thrown before the arguments' end was checked: by their reading, the implementation never ran.
                ErrorReplies.failQuietly(call, ErrorCode.INVALID_ARGUMENT, "cannot decode the arguments of "
                        + this.method.qualifiedName() + ": " + undecodable.getMessage());
            }
            else {
                ErrorReplies.fail(call, this.method, failure);
            }
            return;
        }
        finally {
            Codecs.releaseReader(in);
        }
        if (this.bits) {
            respondBits(call, answer);
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

    /** Answers a primitive result (none for {@code void}) from its bits, written into the thread's writer. */
    private void respondBits(ServerCall call, long answer) {
        if (!this.bitsAnswered) {
            call.respond(NOTHING);
            return;
        }
        PostcardWriter out = Codecs.takeWriter();
        try {
            Unboxed.encodeBits(this.method.resultCodec(), out, answer);
        }
        catch (RuntimeException ex) {
            // Only a char that is a lone surrogate cannot be written; nothing was sent, the call is still open.
            Codecs.releaseWriter(out);
            ErrorReplies.failQuietly(call, ErrorCode.INTERNAL,
                    "cannot encode the result of " + this.method.qualifiedName() + ": " + ex);
            return;
        }
        call.respond(out);
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
