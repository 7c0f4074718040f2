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
 * is made the same way, whatever its {@link SessionSource}: the session of each call is the source's business.
 *
 * <p>A client is an instance of a class made at run time in the interface's package, which calls without
 * allocating: a plain-value method's arguments are written straight into the thread's reusable buffer, primitives
 * without boxes, and a primitive result comes back without a box. Where the interface's package is not open to
 * rapace (a named module that does not open it), the client is a JDK proxy instead, which makes an array of the
 * arguments and boxes primitives on every call. {@link #isClientClass} tells a generated class from an implementation.
 * The class is made once per interface (and way of finding sessions); making a client then costs what a proxy costs.
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
        CallRouting routing = CallRouting.of(sessions, options);
        String description = "RapaceClient[" + contract.serviceName() + " (" + serviceInterface.getName() + ")"
                + (sessions instanceof SessionSource.Awaited awaited ? " on " + awaited : "") + "]";
        Object generated = GeneratedClients.create(contract, routing, description);
        if (generated != null) {
            return serviceInterface.cast(generated);
        }
        return proxy(contract, routing, description);
    }

    /**
     * Whether {@code type} is a class generated here for a client: its objects call a remote service, they never
     * implement one. (A client made as a JDK proxy has a {@link Proxy#isProxyClass proxy class}.)
     */
    public static boolean isClientClass(Class<?> type) {
        Objects.requireNonNull(type, "type");
        return GeneratedClients.isGenerated(type);
    }

    /** The JDK proxy of a client: what {@link #create} makes where its class cannot be generated. */
    static <T> T proxy(ServiceContract contract, CallRouting routing, String description) {
        Class<?> serviceInterface = contract.serviceInterface();
        ClientInvocationHandler handler = new ClientInvocationHandler(contract, routing, description);
        @SuppressWarnings("unchecked")
        T client = (T) serviceInterface.cast(Proxy.newProxyInstance(serviceInterface.getClassLoader(),
                new Class<?>[] {serviceInterface}, handler));
        return client;
    }

}
