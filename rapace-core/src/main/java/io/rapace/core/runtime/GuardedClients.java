package io.rapace.core.runtime;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.rapace.core.RapaceException;
import io.rapace.core.service.ResultShape;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Wraps a client proxy so that a call fails at once, in the style of its return type, when a guard
 * reports a problem (the host's plugin process has exited): a thrown exception, a failed future, an
 * error signal.
 */
final class GuardedClients {

    private GuardedClients() {
    }

    static <T> T wrap(Class<T> serviceInterface, T client, Supplier<@Nullable RapaceException> guard) {
        InvocationHandler handler = (proxy, method, args) -> invoke(proxy, client, guard, method, args);
        return serviceInterface.cast(Proxy.newProxyInstance(serviceInterface.getClassLoader(),
                new Class<?>[] {serviceInterface}, handler));
    }

    private static @Nullable Object invoke(Object proxy, Object client, Supplier<@Nullable RapaceException> guard,
            Method method, Object @Nullable [] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> args != null && proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> client.toString();
            };
        }
        if (method.isDefault()) {
            // Through this proxy, so that the remote calls a default method makes are guarded too.
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        RapaceException problem = guard.get();
        if (problem != null) {
            return switch (ResultShape.of(method.getReturnType())) {
                case VALUE -> throw problem;
                case COMPLETABLE_FUTURE, COMPLETION_STAGE -> CompletableFuture.failedFuture(problem);
                case MONO -> Mono.error(problem);
                case FLUX -> Flux.error(problem);
            };
        }
        try {
            return method.invoke(client, args);
        }
        catch (InvocationTargetException ex) {
            throw ex.getCause() != null ? ex.getCause() : ex;
        }
    }
}
