package io.rapace.test.spring;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.rapace.core.operations.RapaceOperations;
import io.rapace.core.service.ClientOptions;
import io.rapace.core.service.RapaceClients;
import io.rapace.core.session.RpcSession;
import io.rapace.core.session.SessionOptions;
import io.rapace.test.TestSegments;
import io.rapace.transport.shm.ShmConfig;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;

/**
 * The host of a {@link RapaceSpringBootTest}: created with its segment before the plugin's context starts,
 * it makes typed clients of the plugin's services. A bean of the test's context; closed (session, segment file)
 * when the context is closed.
 */
public final class RapaceTestHost implements AutoCloseable {

    private final RpcSession session;

    private final Duration callTimeout;

    private RapaceTestHost(RpcSession session, Duration callTimeout) {
        this.session = session;
        this.callTimeout = callTimeout;
    }

    /** Creates a fresh segment ({@link ShmConfig#PLUGIN_DEFAULT}) and starts the host's session on it. */
    static RapaceTestHost start(Duration callTimeout) {
        ShmTransport transport = ShmTransport.create(TestSegments.newPath(), ShmConfig.PLUGIN_DEFAULT,
                ShmOptions.defaults());
        try {
            return new RapaceTestHost(RpcSession.start(transport, SessionOptions.defaults()
                    .withDefaultCallTimeout(callTimeout)), callTimeout);
        }
        catch (RuntimeException ex) {
            transport.close();
            transport.removeSegmentFile();
            throw ex;
        }
    }

    /** A client of the plugin's service {@code serviceInterface}, with the call timeout. */
    public <T> T client(Class<T> serviceInterface) {
        return client(serviceInterface, ClientOptions.defaults().withTimeout(this.callTimeout));
    }

    /** A client of the plugin's service {@code serviceInterface}. */
    public <T> T client(Class<T> serviceInterface, ClientOptions options) {
        return RapaceClients.create(serviceInterface, this.session, options);
    }

    /** The plugin's operations service: its health and meters as a host reads them. */
    public RapaceOperations operations() {
        return client(RapaceOperations.class);
    }

    /** The host's session, for raw calls. */
    public RpcSession session() {
        return this.session;
    }

    /** The segment file. */
    public Path path() {
        return this.session.transport().path();
    }

    /**
     * Waits until the plugin has opened the segment (its first heartbeat); calls made earlier wait in the ring
     * and are served then, so tests rarely need this.
     *
     * @throws IllegalStateException when {@code timeout} passes first
     */
    public void awaitPluginStarted(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (this.session.transport().peerHeartbeatAgeNanos() < 0) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the plugin did not open the segment " + path() + " within "
                        + timeout);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /** Closes the session and deletes the segment file; idempotent. */
    @Override
    public void close() {
        try {
            this.session.close();
        }
        finally {
            this.session.transport().removeSegmentFile();  // no file left behind, whatever the close met
        }
    }

    @Override
    public String toString() {
        return "RapaceTestHost[" + path() + ", " + this.session.state() + "]";
    }
}
