package io.rapace.core.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.rapace.core.runtime.RapaceRuntimeException.Kind;
import io.rapace.core.service.RemoteMethod;
import io.rapace.core.service.ServiceDefinition;
import io.rapace.core.service.ServiceDefinitionException;
import io.rapace.core.service.Services;
import io.rapace.core.session.Dispatcher;
import io.rapace.core.session.SessionObserver;
import org.jspecify.annotations.Nullable;

/**
 * What the builders of {@link RapaceHost} and {@link RapacePlugin} share: the services this side serves to its
 * peer and the {@link ConnectionSettings} of its segment and session. Not thread-safe.
 *
 * @param <B> the concrete builder, which every option returns for chaining
 */
abstract sealed class ConnectionBuilder<B extends ConnectionBuilder<B>> permits RapaceHost.Builder,
        RapacePlugin.Builder {

    private final List<Object> services = new ArrayList<>();

    private ConnectionSettings settings = ConnectionSettings.DEFAULTS;

    ConnectionBuilder() {
    }

    /** Adds service implementations (or {@code ServiceDefinition}s) the peer may call; dispatch tries them in this order. */
    public B services(Object... implementations) {
        for (Object implementation : implementations) {
            this.services.add(Objects.requireNonNull(implementation, "service implementation"));
        }
        return self();
    }

    /** The default deadline of calls this side makes to its peer; default the session's (30 s). */
    public B callTimeout(Duration timeout) {
        return settings(this.settings.withCallTimeout(timeout));
    }

    /**
     * How long the peer's heartbeat may stand still before the peer counts as stalled (calls then fail by their
     * own deadlines; the session carries on when it moves again); default 3 s.
     */
    public B livenessTimeout(Duration timeout) {
        return settings(this.settings.withLivenessTimeout(timeout));
    }

    /**
     * How long the peer may stay stalled before it counts as gone for good, when its process cannot be watched
     * (a host watches its plugin, a plugin the host process that maps its segment; a watched peer is gone when
     * its process exits); default 30 s, never shorter than the liveness timeout.
     */
    public B peerGoneAfter(Duration duration) {
        return settings(this.settings.withPeerGoneAfter(duration));
    }

    /** How often this side heartbeats while idle; default 400 ms. */
    public B heartbeatInterval(Duration interval) {
        return settings(this.settings.withHeartbeatInterval(interval));
    }

    /** How long closing waits for in-flight handlers; default 5 s. */
    public B closeGrace(Duration grace) {
        return settings(this.settings.withCloseGrace(grace));
    }

    /**
     * Hooks told of every call of the session (for metrics: the outcome and duration of each call this side
     * makes and serves); default none. Must be fast, thread-safe and must not throw.
     */
    public B observer(SessionObserver observer) {
        return settings(this.settings.withObserver(Objects.requireNonNull(observer, "observer")));
    }

    final List<Object> serviceList() {
        return this.services;
    }

    final ConnectionSettings settings() {
        return this.settings;
    }

    /** Replaces the settings (validated by {@link ConnectionSettings}) and returns this builder. */
    final B settings(ConnectionSettings replacement) {
        this.settings = replacement;
        return self();
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /**
     * The dispatcher of {@code services}, tried in order.
     *
     * @param peer names the side that calls the services, for the message
     * @throws RapaceRuntimeException of kind {@link Kind#RPC} when a service cannot be defined
     */
    static Dispatcher dispatcher(List<Object> services, String peer) {
        return dispatcher(services, null, peer);
    }

    /**
     * {@link #dispatcher(List, String)} followed by {@code deferred} when there is one: a service defined at its first
     * call, whose methods' ids must not be among the others'.
     */
    static Dispatcher dispatcher(List<Object> services, @Nullable DeferredOperations deferred, String peer) {
        try {
            List<ServiceDefinition> definitions = Services.define(services.toArray());
            Dispatcher own = Services.dispatcher(definitions);
            if (deferred == null) {
                return own;
            }
            for (ServiceDefinition definition : definitions) {
                for (RemoteMethod method : definition.methods()) {
                    RemoteMethod taken = deferred.method(method.id());
                    if (taken != null) {
                        throw new ServiceDefinitionException("method id " + Integer.toUnsignedLong(method.id())
                                + " of \"" + method.qualifiedName() + "\" is already used by \""
                                + taken.qualifiedName() + "\", which the plugin serves beside its services: rename"
                                + " it with @RapaceMethod(name = ...) or give the service another name");
                    }
                }
            }
            return Dispatcher.chain(List.of(own, deferred));
        }
        catch (ServiceDefinitionException ex) {
            throw new RapaceRuntimeException(Kind.RPC,
                    "cannot serve " + services + " to " + peer + ": " + ex.getMessage(), ex);
        }
    }
}
