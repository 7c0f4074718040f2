package io.rapace.core.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.rapace.core.operations.RapaceOperations;
import io.rapace.core.operations.SessionOperations;
import io.rapace.core.runtime.RapaceRuntimeException.Kind;
import io.rapace.core.service.ServiceDefinition;
import io.rapace.core.session.Dispatcher;
import io.rapace.core.session.RpcSession;
import io.rapace.transport.shm.ShmConfig;
import org.jspecify.annotations.Nullable;

/**
 * The plugin side without Spring: finds the segment path in the command line ({@link ShmPathArguments}),
 * waits for the host's segment, opens it, serves the given services and blocks until the session ends.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *     RapacePlugin.run(args, new CalculatorImpl());
 * }
 * }</pre>
 *
 * <p>Failures are {@link RapaceRuntimeException}s whose {@link Kind} names the step. Immutable; build one
 * with {@link #builder()}.
 */
public final class RapacePlugin {

    private final List<Object> services;

    private final ConnectionSettings settings;

    private RapacePlugin(Builder builder) {
        this.services = List.copyOf(builder.serviceList());
        this.settings = builder.settings();
    }

    /**
     * Runs a plugin serving {@code services} with default settings until the host closes or dies.
     *
     * @throws RapaceRuntimeException when the path is missing or bad, the segment does not appear or cannot be
     *     opened, or the host dies
     */
    public static void run(String[] args, Object... services) {
        builder().services(services).build().run(args);
    }

    /** A builder with the defaults: 5 s open timeout, geometry from the segment, session defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Connects (see {@link #start(String[])}) and blocks until the session ends. It returns normally when the
     * host closed the session (heartbeat stopped, segment file removed), so that {@code main} ends with exit
     * code 0. A JVM shutdown (SIGTERM from the host stopping its plugin) closes the session gracefully: in-flight
     * calls get the close grace to finish and send their replies before the JVM exits (code 143 after SIGTERM).
     * With {@code --help} (or {@code -h}) it prints {@link ShmPathArguments#USAGE} and returns at once.
     *
     * @throws RapaceRuntimeException of kind {@link Kind#TRANSPORT} when the host died (an uncaught exception:
     *     {@code main} ends with exit code 1)
     */
    public void run(String[] args) {
        if (ShmPathArguments.isHelp(args)) {
            System.out.println(ShmPathArguments.USAGE);
            return;
        }
        RapaceConnection connection = start(args);
        Thread closeOnShutdown = ShutdownHooks.register(connection::close);
        try {
            connection.awaitTermination();
        }
        finally {
            connection.close();
            ShutdownHooks.withdraw(closeOnShutdown);
        }
    }

    /** Parses the segment path from {@code args} and connects; the caller owns the returned connection. */
    public RapaceConnection start(String[] args) {
        return connect(ShmPathArguments.require(args));
    }

    /**
     * Waits up to the open timeout for the segment at {@code path}, opens it, starts the session on even
     * channel ids with the services' dispatcher installed, and watches the host process when it is an
     * ancestor of this one ({@link HostProcessWatch}): its exit ends the session at once. Unless one of the
     * services is a {@link RapaceOperations}, the plugin also serves {@link SessionOperations}, so that its host
     * can read its health and meters.
     */
    public RapaceConnection connect(Path path) {
        AtomicReference<@Nullable RpcSession> session = new AtomicReference<>();
        Dispatcher dispatcher = ConnectionBuilder.dispatcher(this.services, servesOperations(this.services) ? null
                : new DeferredOperations(() -> new SessionOperations(session::get)), "the host");
        // Looked for before the (possibly waiting) open: a host that dies meanwhile is still known as the host. A host
        // that launched this plugin before it made the segment (the open waits for it, spec §8) maps no file yet:
        // looked for again once the segment is open, as a Spring plugin looks for it. Watched once the plugin has
        // answered its first request: off the way to that answer.
        HostLookout host = HostProcessWatch.lookOut(path);
        RpcSession started = SegmentConnector.open(path, this.settings, dispatcher);
        session.set(started);
        HostProcessWatch.watchAfterStartUp(started, host);
        return new RapaceConnection(started, path, this.settings.livenessTimeout());
    }

    /** Whether one of {@code services} is the plugin's own {@link RapaceOperations}. */
    private static boolean servesOperations(List<Object> services) {
        for (Object service : services) {
            if (service instanceof RapaceOperations
                    || service instanceof ServiceDefinition definition && definition.implementation() instanceof RapaceOperations) {
                return true;
            }
        }
        return false;
    }

    /** Configures a {@link RapacePlugin}. Not thread-safe. */
    public static final class Builder extends ConnectionBuilder<Builder> {

        private Builder() {
        }

        /** How long to wait for the host's segment file and header; default 5 s. */
        public Builder openTimeout(Duration timeout) {
            return settings(settings().withOpenTimeout(timeout));
        }

        /**
         * A geometry to insist on: opening fails with {@link Kind#OPEN_FAILED} naming both geometries when
         * the segment differs. Default {@code null}: follow the segment.
         */
        public Builder expectedConfig(@Nullable ShmConfig config) {
            return settings(settings().withExpectedConfig(config));
        }

        /** The plugin. */
        public RapacePlugin build() {
            return new RapacePlugin(this);
        }
    }
}
