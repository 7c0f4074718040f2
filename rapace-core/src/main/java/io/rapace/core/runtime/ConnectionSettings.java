package io.rapace.core.runtime;

import java.time.Duration;
import java.util.Objects;

import io.rapace.core.session.Dispatcher;
import io.rapace.core.session.SessionOptions;
import io.rapace.transport.shm.ShmConfig;
import io.rapace.transport.shm.ShmOptions;
import org.jspecify.annotations.Nullable;

/**
 * The transport and session settings a plugin or a host connects with; the builders of
 * {@link RapacePlugin} and {@link RapaceHost} fill it in.
 *
 * @param openTimeout how long a plugin waits for the segment file and a valid header
 * @param livenessTimeout how old the peer's heartbeat may get before the peer counts as dead
 * @param heartbeatInterval how often this side heartbeats while idle
 * @param expectedConfig a geometry the plugin insists on, or {@code null} to follow the segment
 * @param callTimeout the default deadline of outgoing calls
 * @param closeGrace how long closing waits for in-flight handlers
 */
record ConnectionSettings(Duration openTimeout, Duration livenessTimeout, Duration heartbeatInterval,
        @Nullable ShmConfig expectedConfig, Duration callTimeout, Duration closeGrace) {

    /** The defaults of the transport and the session. */
    static final ConnectionSettings DEFAULTS = defaults(ShmOptions.defaults(), SessionOptions.defaults());

    ConnectionSettings {
        requirePositive("openTimeout", openTimeout);
        requirePositive("livenessTimeout", livenessTimeout);
        requirePositive("heartbeatInterval", heartbeatInterval);
        requirePositive("callTimeout", callTimeout);
        Objects.requireNonNull(closeGrace, "closeGrace");
        if (closeGrace.isNegative()) {
            throw new IllegalArgumentException("closeGrace must be >= 0, was " + closeGrace);
        }
    }

    ShmOptions shmOptions() {
        return ShmOptions.defaults().withOpenTimeout(this.openTimeout).withLivenessTimeout(this.livenessTimeout)
                .withHeartbeatInterval(this.heartbeatInterval).withExpectedConfig(this.expectedConfig);
    }

    SessionOptions sessionOptions(Dispatcher dispatcher) {
        return SessionOptions.defaults().withDispatcher(dispatcher).withDefaultCallTimeout(this.callTimeout)
                .withCloseGrace(this.closeGrace);
    }

    ConnectionSettings withOpenTimeout(Duration value) {
        return new ConnectionSettings(value, this.livenessTimeout, this.heartbeatInterval, this.expectedConfig,
                this.callTimeout, this.closeGrace);
    }

    ConnectionSettings withLivenessTimeout(Duration value) {
        return new ConnectionSettings(this.openTimeout, value, this.heartbeatInterval, this.expectedConfig,
                this.callTimeout, this.closeGrace);
    }

    ConnectionSettings withHeartbeatInterval(Duration value) {
        return new ConnectionSettings(this.openTimeout, this.livenessTimeout, value, this.expectedConfig,
                this.callTimeout, this.closeGrace);
    }

    ConnectionSettings withExpectedConfig(@Nullable ShmConfig value) {
        return new ConnectionSettings(this.openTimeout, this.livenessTimeout, this.heartbeatInterval, value,
                this.callTimeout, this.closeGrace);
    }

    ConnectionSettings withCallTimeout(Duration value) {
        return new ConnectionSettings(this.openTimeout, this.livenessTimeout, this.heartbeatInterval,
                this.expectedConfig, value, this.closeGrace);
    }

    ConnectionSettings withCloseGrace(Duration value) {
        return new ConnectionSettings(this.openTimeout, this.livenessTimeout, this.heartbeatInterval,
                this.expectedConfig, this.callTimeout, value);
    }

    private static ConnectionSettings defaults(ShmOptions transport, SessionOptions session) {
        return new ConnectionSettings(transport.openTimeout(), transport.livenessTimeout(),
                transport.heartbeatInterval(), transport.expectedConfig(), session.defaultCallTimeout(),
                session.closeGrace());
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0, was " + value);
        }
    }
}
