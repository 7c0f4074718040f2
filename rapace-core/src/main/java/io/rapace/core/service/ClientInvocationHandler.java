package io.rapace.core.service;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.core.codec.Codecs;
import io.rapace.core.session.RpcSession;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Turns proxy method calls into session calls, by the method's {@link ResultShape}. */
final class ClientInvocationHandler implements InvocationHandler {

    private static final Object[] NO_ARGUMENTS = {};

    private final ServiceContract contract;

    private final RpcSession session;

    private final @Nullable Duration timeout;

    private final Map<Method, MethodDefinition> methods;

    ClientInvocationHandler(ServiceContract contract, RpcSession session, ClientOptions options) {
        this.contract = contract;
        this.session = session;
        this.timeout = options.timeout();
        this.methods = new HashMap<>();
        for (MethodDefinition method : contract.methods()) {
            this.methods.put(method.javaMethod(), method);
        }
    }

    @Override
    public @Nullable Object invoke(Object proxy, Method javaMethod, Object @Nullable [] args) throws Throwable {
        MethodDefinition method = this.methods.get(javaMethod);
        if (method == null) {
            return invokeLocally(proxy, javaMethod, args);
        }
        Object[] arguments = args != null ? args : NO_ARGUMENTS;
        return switch (method.shape()) {
            case VALUE -> callBlocking(method, arguments);
            case COMPLETABLE_FUTURE, COMPLETION_STAGE -> call(method, arguments);
            case MONO -> Mono.fromFuture(() -> call(method, arguments)); // lazy; cancelling cancels the call
            case FLUX -> Flux.defer(() -> this.session
                    .callStreaming(method.id(), Codecs.encode(method.argumentsCodec(), arguments), this.timeout,
                            frame -> Codecs.decode(method.resultCodec(), frame.payload())))
                    .onErrorMap(RapaceException.class, failure -> namingTheMethod(method, failure));
        };
    }

    private CompletableFuture<@Nullable Object> call(MethodDefinition method, Object[] arguments) {
        byte[] payload = Codecs.encode(method.argumentsCodec(), arguments);
        CompletableFuture<byte[]> response = this.session.call(method.id(), payload, this.timeout);
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

    /** A plain-value method: the caller's thread waits for the answer, woken directly by the session. */
    private @Nullable Object callBlocking(MethodDefinition method, Object[] arguments) {
        byte[] payload = Codecs.encode(method.argumentsCodec(), arguments);
        byte[] response;
        try {
            response = this.session.callBlocking(method.id(), payload, this.timeout);
        }
        catch (RapaceException rapace) {
            if (rapace.errorCode() == ErrorCode.UNIMPLEMENTED) {
                throw namingTheMethod(method, rapace);
            }
            if (rapace.errorCode() == ErrorCode.CANCELLED && Thread.currentThread().isInterrupted()) {
                throw new RapaceException(ErrorCode.CANCELLED, method.qualifiedName() + " was interrupted", rapace);
            }
            if (rapace.rawCode() == rapace.errorCode().code()) {
                // A fresh exception, so that the stack trace shows this call site; the original is its cause.
                throw new RapaceException(rapace.errorCode(), messageOf(rapace), rapace);
            }
            throw rapace;
        }
        return Codecs.decode(method.resultCodec(), response);
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

    private @Nullable Object invokeLocally(Object proxy, Method javaMethod, Object @Nullable [] args)
            throws Throwable {
        if (javaMethod.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, javaMethod, args);
        }
        return switch (javaMethod.getName()) {
            case "equals" -> args != null && args.length == 1 && proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            case "toString" -> "RapaceClient[" + this.contract.serviceName() + " ("
                    + this.contract.serviceInterface().getName() + ")]";
            default -> throw new UnsupportedOperationException(javaMethod + " is not a remote method of "
                    + this.contract.serviceName());
        };
    }
}
