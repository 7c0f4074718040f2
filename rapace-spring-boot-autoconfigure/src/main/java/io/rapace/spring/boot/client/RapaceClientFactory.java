package io.rapace.spring.boot.client;

import java.util.function.Supplier;

import io.rapace.core.service.ClientOptions;
import io.rapace.core.service.RapaceClients;
import io.rapace.core.service.SessionSource;
import io.rapace.core.session.RpcSession;

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
 * A call made while no session runs fails with {@link IllegalStateException}: thrown by a method that returns a
 * plain value, as the failure of a returned future, as the error of a returned {@code Mono} or {@code Flux}. Each
 * client is a rapace client over {@link SessionSource#perCall(Supplier)}.
 */
public final class RapaceClientFactory {

    private final SessionSource sessions;

    /**
     * A factory whose clients call through the session that {@code sessions} supplies at call time (it
     * throws {@link IllegalStateException} when none runs).
     */
    public RapaceClientFactory(Supplier<RpcSession> sessions) {
        Assert.notNull(sessions, "'sessions' must not be null");
        this.sessions = SessionSource.perCall(sessions);
    }

    /**
     * A client of the host service that {@code serviceInterface} describes (public or not).
     *
     * @throws IllegalArgumentException when {@code serviceInterface} is not an interface
     */
    public <T> T create(Class<T> serviceInterface) {
        Assert.notNull(serviceInterface, "'serviceInterface' must not be null");
        Assert.isTrue(serviceInterface.isInterface(),
                () -> "rapace client type " + serviceInterface.getName() + " must be an interface");
        return RapaceClients.create(serviceInterface, this.sessions, ClientOptions.defaults());
    }
}
