package io.rapace.core.runtime;

import java.time.Duration;
import java.util.Objects;

import io.rapace.core.session.Dispatcher;
import io.rapace.core.session.SessionObserver;
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
 * @param peerGoneAfter how long the peer's heartbeat may stand still before the peer is gone, when its process
 *     cannot be watched (a watched peer is gone when its process exits)
 * @param observer the session's metrics hooks
 */
record ConnectionSettings(Duration openTimeout, Duration livenessTimeout, Duration heartbeatInterval,
        @Nullable ShmConfig expectedConfig, Duration callTimeout, Duration closeGrace, Duration peerGoneAfter,
        SessionObserver observer) {

    /** The defaults of the transport and the session. */
    static final ConnectionSettings DEFAULTS = defaults(ShmOptions.defaults(), SessionOptions.defaults());

    ConnectionSettings {
        requirePositive("openTimeout", openTimeout);
        requirePositive("livenessTimeout", livenessTimeout);
        requirePositive("heartbeatInterval", heartbeatInterval);
        requirePositive("callTimeout", callTimeout);
        requirePositive("peerGoneAfter", peerGoneAfter);
        Objects.requireNonNull(closeGrace, "closeGrace");
        Objects.requireNonNull(observer, "observer");
        if (closeGrace.isNegative()) {
            throw new IllegalArgumentException("closeGrace must be >= 0, was " + closeGrace);
        }
    }

    ShmOptions shmOptions() {
        ShmOptions options = ShmOptions.defaults().withOpenTimeout(this.openTimeout)
                .withLivenessTimeout(this.livenessTimeout);
        // The default interval is the transport's to fit to a short liveness timeout (ShmOptions.withLivenessTimeout).
        if (!this.heartbeatInterval.equals(ShmOptions.DEFAULT_HEARTBEAT_INTERVAL)) {
            options = options.withHeartbeatInterval(this.heartbeatInterval);
        }
        return options.withExpectedConfig(this.expectedConfig)
                .withPeerGoneAfter(this.peerGoneAfter.compareTo(this.livenessTimeout) < 0 ? this.livenessTimeout
                        : this.peerGoneAfter);
    }

    SessionOptions sessionOptions(Dispatcher dispatcher) {
        return SessionOptions.defaults().withDispatcher(dispatcher).withDefaultCallTimeout(this.callTimeout)
                .withCloseGrace(this.closeGrace).withObserver(this.observer);
    }

    ConnectionSettings withOpenTimeout(Duration value) {
        return new ConnectionSettings(value, this.livenessTimeout, this.heartbeatInterval, this.expectedConfig,
                this.callTimeout, this.closeGrace, this.peerGoneAfter, this.observer);
    }

    ConnectionSettings withLivenessTimeout(Duration value) {
        return new ConnectionSettings(this.openTimeout, value, this.heartbeatInterval, this.expectedConfig,
                this.callTimeout, this.closeGrace, this.peerGoneAfter, this.observer);
    }

    ConnectionSettings withHeartbeatInterval(Duration value) {
        return new ConnectionSettings(this.openTimeout, this.livenessTimeout, value, this.expectedConfig,
                this.callTimeout, this.closeGrace, this.peerGoneAfter, this.observer);
    }

    ConnectionSettings withExpectedConfig(@Nullable ShmConfig value) {
        return new ConnectionSettings(this.openTimeout, this.livenessTimeout, this.heartbeatInterval, value,
                this.callTimeout, this.closeGrace, this.peerGoneAfter, this.observer);
    }

    ConnectionSettings withCallTimeout(Duration value) {
        return new ConnectionSettings(this.openTimeout, this.livenessTimeout, this.heartbeatInterval,
                this.expectedConfig, value, this.closeGrace, this.peerGoneAfter, this.observer);
    }

    ConnectionSettings withCloseGrace(Duration value) {
        return new ConnectionSettings(this.openTimeout, this.livenessTimeout, this.heartbeatInterval,
                this.expectedConfig, this.callTimeout, value, this.peerGoneAfter, this.observer);
    }

    ConnectionSettings withPeerGoneAfter(Duration value) {
        return new ConnectionSettings(this.openTimeout, this.livenessTimeout, this.heartbeatInterval,
                this.expectedConfig, this.callTimeout, this.closeGrace, value, this.observer);
    }

    ConnectionSettings withObserver(SessionObserver value) {
        return new ConnectionSettings(this.openTimeout, this.livenessTimeout, this.heartbeatInterval,
                this.expectedConfig, this.callTimeout, this.closeGrace, this.peerGoneAfter, value);
    }

    private static ConnectionSettings defaults(ShmOptions transport, SessionOptions session) {
        return new ConnectionSettings(transport.openTimeout(), transport.livenessTimeout(),
                transport.heartbeatInterval(), transport.expectedConfig(), session.defaultCallTimeout(),
                session.closeGrace(), transport.peerGoneAfter(), session.observer());
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0, was " + value);
        }
    }
}
