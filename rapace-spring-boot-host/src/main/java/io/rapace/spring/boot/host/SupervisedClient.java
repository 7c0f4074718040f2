package io.rapace.spring.boot.host;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.core.service.ResultShape;
import io.rapace.core.session.SessionState;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A client proxy that routes every call to the plugin's incarnation running at the time of the call. A blocking
 * call waits on the caller's thread; the asynchronous shapes (future, {@code Mono}, {@code Flux}) wait on a virtual
 * thread only when no incarnation runs, so a call to a running plugin costs one look at a volatile field more.
 * A call already in flight when the process dies fails with {@code PEER_DIED}: it is never sent again, since the
 * plugin may have acted on it. A call that met the dead incarnation's closed session before it was sent goes to
 * the next incarnation, within the same deadline.
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
            case VALUE -> callBlocking(serviceInterface, supervisor, method, args, System.nanoTime() + timeout);
            case COMPLETABLE_FUTURE, COMPLETION_STAGE -> callFuture(serviceInterface, supervisor, method, args,
                    System.nanoTime() + timeout);
            case MONO -> Mono.defer(() -> callMono(serviceInterface, supervisor, method, args,
                    System.nanoTime() + timeout));
            case FLUX -> Flux.defer(() -> callFlux(serviceInterface, supervisor, method, args,
                    System.nanoTime() + timeout));
        };
    }

    private static @Nullable Object callBlocking(Class<?> serviceInterface, PluginSupervisor supervisor, Method method,
            Object @Nullable [] args, long deadline) throws Throwable {
        while (true) {
            Incarnation incarnation = supervisor.awaitIncarnation(deadline);
            try {
                return call(incarnation, serviceInterface, supervisor, method, args);
            }
            catch (RapaceException ex) {
                if (!neverSent(incarnation, ex)) {
                    throw ex;
                }
            }
        }
    }

    private static CompletableFuture<?> callFuture(Class<?> serviceInterface, PluginSupervisor supervisor,
            Method method, Object @Nullable [] args, long deadline) {
        return incarnation(supervisor, deadline).thenCompose((incarnation) -> {
            CompletableFuture<?> answer = ((CompletionStage<?>) callQuietly(incarnation, serviceInterface, supervisor,
                    method, args)).toCompletableFuture();
            return answer.handle((value, failure) -> failure == null ? CompletableFuture.completedFuture(value)
                    : neverSent(incarnation, failure) ? callFuture(serviceInterface, supervisor, method, args, deadline)
                    : CompletableFuture.failedFuture(failure)).thenCompose((next) -> next);
        });
    }

    @SuppressWarnings("unchecked")
    private static Mono<Object> callMono(Class<?> serviceInterface, PluginSupervisor supervisor, Method method,
            Object @Nullable [] args, long deadline) {
        return Mono.fromFuture(incarnation(supervisor, deadline))
            .flatMap((incarnation) -> ((Mono<Object>) callQuietly(incarnation, serviceInterface, supervisor, method, args))
                .onErrorResume((failure) -> neverSent(incarnation, failure),
                        (failure) -> callMono(serviceInterface, supervisor, method, args, deadline)));
    }

    @SuppressWarnings("unchecked")
    private static Flux<Object> callFlux(Class<?> serviceInterface, PluginSupervisor supervisor, Method method,
            Object @Nullable [] args, long deadline) {
        return Mono.fromFuture(incarnation(supervisor, deadline))
            .flatMapMany((incarnation) -> ((Flux<Object>) callQuietly(incarnation, serviceInterface, supervisor, method,
                    args))
                .onErrorResume((failure) -> neverSent(incarnation, failure),
                        (failure) -> callFlux(serviceInterface, supervisor, method, args, deadline)));
    }

    /**
     * Whether {@code failure} refused a call that never reached the plugin: the incarnation's session ended because
     * the plugin died (its pending calls then fail with PEER_DIED), and this call met the closed session or transport
     * before it was sent ({@code SESSION_CLOSED}). Such a call goes to the next incarnation.
     */
    private static boolean neverSent(Incarnation incarnation, Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause instanceof RapaceException rapace && rapace.errorCode() == ErrorCode.SESSION_CLOSED
                && incarnation.host().session().state() == SessionState.PEER_DIED;
    }

    private static CompletableFuture<Incarnation> incarnation(PluginSupervisor supervisor, long deadline) {
        Incarnation running = supervisor.runningNow();
        if (running != null) {
            return CompletableFuture.completedFuture(running);
        }
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
