package io.rapace.spring.boot.client;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Supplier;

import io.rapace.core.service.RapaceClients;
import io.rapace.core.session.RpcSession;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Makes clients of the host's services that can be created, injected and held before the session starts:
 * each call goes to the session that runs at the time of the call. Declare one bean per host service:
 *
 * <pre class="code">
 * &#64;Bean
 * HostLog hostLog(RapaceClientFactory clients) {
 *     return clients.create(HostLog.class);
 * }
 * </pre>
 *
 * A call made while no session runs fails with {@link IllegalStateException}.
 */
public final class RapaceClientFactory {

    private final Supplier<RpcSession> sessions;

    /**
     * A factory whose clients call through the session that {@code sessions} supplies at call time (it
     * throws {@link IllegalStateException} when none runs).
     */
    public RapaceClientFactory(Supplier<RpcSession> sessions) {
        Assert.notNull(sessions, "'sessions' must not be null");
        this.sessions = sessions;
    }

    /**
     * A client of the host service that {@code serviceInterface} describes.
     *
     * @throws IllegalArgumentException when {@code serviceInterface} is not an interface
     */
    public <T> T create(Class<T> serviceInterface) {
        Assert.notNull(serviceInterface, "'serviceInterface' must not be null");
        Assert.isTrue(serviceInterface.isInterface(),
                () -> "rapace client type " + serviceInterface.getName() + " must be an interface");
        return serviceInterface.cast(Proxy.newProxyInstance(serviceInterface.getClassLoader(),
                new Class<?>[] { serviceInterface }, new SessionBoundInvocationHandler<>(serviceInterface, this.sessions)));
    }

    /** Forwards each call to a client of the session running at the time, rebuilt when the session changes. */
    private static final class SessionBoundInvocationHandler<T> implements InvocationHandler {

        private final Class<T> serviceInterface;

        private final Supplier<RpcSession> sessions;

        private volatile @Nullable Bound<T> bound;

        SessionBoundInvocationHandler(Class<T> serviceInterface, Supplier<RpcSession> sessions) {
            this.serviceInterface = serviceInterface;
            this.sessions = sessions;
        }

        @Override
        public @Nullable Object invoke(Object proxy, Method method, @Nullable Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                return invokeObjectMethod(proxy, method, args);
            }
            T client = clientFor(this.sessions.get());
            try {
                return method.invoke(client, args);
            }
            catch (InvocationTargetException ex) {
                throw ex.getCause();
            }
        }

        private T clientFor(RpcSession session) {
            // Volatile read on the fast path; the rare rebuild (a new session) is serialised.
            Bound<T> current = this.bound;
            if (current != null && current.session() == session) {
                return current.client();
            }
            synchronized (this) {
                current = this.bound;
                if (current == null || current.session() != session) {
                    current = new Bound<>(session, RapaceClients.create(this.serviceInterface, session));
                    this.bound = current;
                }
                return current.client();
            }
        }

        private @Nullable Object invokeObjectMethod(Object proxy, Method method, @Nullable Object[] args) {
            return switch (method.getName()) {
                case "equals" -> args != null && proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                case "toString" -> "rapace client of " + this.serviceInterface.getName();
                default -> throw new UnsupportedOperationException(method.toString());
            };
        }
    }

    private record Bound<T>(RpcSession session, T client) {
    }
}
