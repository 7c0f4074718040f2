package io.rapace.core.service;

import java.lang.reflect.Proxy;
import java.util.Objects;

import io.rapace.core.session.RpcSession;

/**
 * Client proxies: a Java interface implemented by remote calls over a session, on either side (a host calls
 * its plugin, a plugin calls its host). The service name is {@link RapaceService#value()} on the interface,
 * else the interface's simple name; method names and ids are those of {@link RapaceMethod} and {@link MethodIds}.
 *
 * <p>Per return type: a plain value (or {@code void}) blocks until the answer and throws
 * {@link io.rapace.core.RapaceException}; {@code CompletableFuture<T>}/{@code CompletionStage<T>} complete
 * with the value or exceptionally with the {@code RapaceException}; {@code Mono<T>} and {@code Flux<T>} are
 * cold: each subscription makes one call, cancelling it cancels the call. {@code toString},
 * {@code equals} (identity) and {@code hashCode} are answered locally; default methods run locally. Every client
 * is the same one proxy, whatever its {@link SessionSource}: the session of each call is the source's business.
 */
public final class RapaceClients {

    private RapaceClients() {
    }

    /** A proxy of {@code serviceInterface} whose calls use the session's default call timeout. */
    public static <T> T create(Class<T> serviceInterface, RpcSession session) {
        return create(serviceInterface, session, ClientOptions.defaults());
    }

    /**
     * A proxy of {@code serviceInterface} calling over {@code session} with {@code options}.
     *
     * @throws ServiceDefinitionException when the interface cannot be a rapace service
     */
    public static <T> T create(Class<T> serviceInterface, RpcSession session, ClientOptions options) {
        return create(serviceInterface, SessionSource.of(session), options);
    }

    /**
     * A proxy of {@code serviceInterface} whose calls go where {@code sessions} says, with {@code options}. The
     * interface need not be public: a package-private one serves as well (its default methods need its package
     * open to this module, as every package on the class path is).
     *
     * @throws ServiceDefinitionException when the interface cannot be a rapace service
     * @throws IllegalArgumentException when {@code sessions} is {@link SessionSource.Awaited} and {@code options}
     *     has no timeout (the wait for a session counts against it)
     */
    public static <T> T create(Class<T> serviceInterface, SessionSource sessions, ClientOptions options) {
        Objects.requireNonNull(serviceInterface, "serviceInterface");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(options, "options");
        ServiceContract contract = ServiceContract.of(serviceInterface);
        ClientInvocationHandler handler = new ClientInvocationHandler(contract, sessions, options);
        return serviceInterface.cast(Proxy.newProxyInstance(serviceInterface.getClassLoader(),
                new Class<?>[] {serviceInterface}, handler));
    }
}
