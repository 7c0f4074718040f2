package io.rapace.spring.boot.host;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

import io.rapace.core.service.ResultShape;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A client proxy that routes every call to the plugin's incarnation running at the time of the call. A blocking
 * call waits on the caller's thread; the asynchronous shapes (future, {@code Mono}, {@code Flux}) wait on a virtual
 * thread only when no incarnation runs, so a call to a running plugin costs one look at a volatile field more.
 * A call already in flight when the process dies fails with {@code PEER_DIED}: it is never sent again, since the
 * plugin may have acted on it.
 */
final class SupervisedClient {

    private static final Executor WAITERS = Executors.newVirtualThreadPerTaskExecutor();

    private SupervisedClient() {
    }

    static <T> T create(Class<T> serviceInterface, PluginSupervisor supervisor) {
        if (!serviceInterface.isInterface()) {
            throw new IllegalArgumentException(serviceInterface.getName() + " is not an interface: a client of plugin '"
                    + supervisor.definition().name() + "' needs its service interface");
        }
        InvocationHandler handler = (proxy, method, args) -> invoke(serviceInterface, supervisor, proxy, method, args);
        return serviceInterface.cast(Proxy.newProxyInstance(serviceInterface.getClassLoader(),
                new Class<?>[] {serviceInterface}, handler));
    }

    private static @Nullable Object invoke(Class<?> serviceInterface, PluginSupervisor supervisor, Object proxy,
            Method method, Object @Nullable [] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> args != null && proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "client of " + serviceInterface.getSimpleName() + " on plugin '"
                        + supervisor.definition().name() + "'";
            };
        }
        if (method.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        long timeout = supervisor.definition().callTimeout().toNanos();
        return switch (ResultShape.of(method.getReturnType())) {
            case VALUE -> call(supervisor.awaitIncarnation(System.nanoTime() + timeout), serviceInterface, supervisor,
                    method, args);
            case COMPLETABLE_FUTURE, COMPLETION_STAGE -> incarnation(supervisor, timeout)
                .thenCompose((incarnation) -> (CompletionStage<?>) callQuietly(incarnation, serviceInterface,
                        supervisor, method, args));
            case MONO -> Mono.defer(() -> Mono.fromFuture(incarnation(supervisor, timeout))
                .flatMap((incarnation) -> (Mono<?>) callQuietly(incarnation, serviceInterface, supervisor, method,
                        args)));
            case FLUX -> Flux.defer(() -> Mono.fromFuture(incarnation(supervisor, timeout))
                .flatMapMany((incarnation) -> (Flux<?>) callQuietly(incarnation, serviceInterface, supervisor, method,
                        args)));
        };
    }

    private static CompletableFuture<Incarnation> incarnation(PluginSupervisor supervisor, long timeoutNanos) {
        Incarnation running = supervisor.runningNow();
        if (running != null) {
            return CompletableFuture.completedFuture(running);
        }
        long deadline = System.nanoTime() + timeoutNanos;
        return CompletableFuture.supplyAsync(() -> supervisor.awaitIncarnation(deadline), WAITERS);
    }

    private static @Nullable Object call(Incarnation incarnation, Class<?> serviceInterface,
            PluginSupervisor supervisor, Method method, Object @Nullable [] args) throws Throwable {
        Object client = incarnation.client(serviceInterface, supervisor.definition().callTimeout());
        try {
            return method.invoke(client, args);
        }
        catch (InvocationTargetException ex) {
            throw ex.getCause() != null ? ex.getCause() : ex;
        }
    }

    private static @Nullable Object callQuietly(Incarnation incarnation, Class<?> serviceInterface,
            PluginSupervisor supervisor, Method method, Object @Nullable [] args) {
        try {
            return call(incarnation, serviceInterface, supervisor, method, args);
        }
        catch (RuntimeException | Error ex) {
            throw ex;
        }
        catch (Throwable ex) {
            throw new IllegalStateException(ex);
        }
    }
}
