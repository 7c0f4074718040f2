package io.rapace.core.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.core.runtime.RapaceRuntimeException.Kind;
import io.rapace.core.service.ClientOptions;
import io.rapace.core.service.RapaceClients;
import io.rapace.core.session.RpcSession;
import io.rapace.transport.shm.PeerRole;
import org.jspecify.annotations.Nullable;

/**
 * A running session over a segment, as {@link RapacePlugin#start(String[])} returns it: serves the services
 * it was started with and makes typed clients for calling the other side.
 */
public final class RapaceConnection implements AutoCloseable {

    private final RpcSession session;

    private final Path path;

    private final Duration livenessTimeout;

    RapaceConnection(RpcSession session, Path path, Duration livenessTimeout) {
        this.session = session;
        this.path = path;
        this.livenessTimeout = livenessTimeout;
        session.closeFuture().whenComplete((ignored, failure) -> {
            if (hostDied(failure) && !session.transport().peerClosedSegment()) {
                SegmentFiles.removeAfterHostDied(session.transport());
            }
        });
    }

    /** Whether the session ended because the host stopped heartbeating (not because it was closed). */
    private static boolean hostDied(@Nullable Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        return cause instanceof RapaceException rapace && rapace.errorCode() == ErrorCode.PEER_DIED;
    }

    /** The session, for raw calls. */
    public RpcSession session() {
        return this.session;
    }

    /** The segment file. */
    public Path path() {
        return this.path;
    }

    /** A client of the peer's service declared by {@code serviceInterface}, with the default call timeout. */
    public <T> T client(Class<T> serviceInterface) {
        return RapaceClients.create(serviceInterface, this.session);
    }

    /** A client of the peer's service declared by {@code serviceInterface}. */
    public <T> T client(Class<T> serviceInterface, ClientOptions options) {
        return RapaceClients.create(serviceInterface, this.session, options);
    }

    /** Whether the session still accepts calls. */
    public boolean isOpen() {
        return this.session.state().isOpen();
    }

    /**
     * Blocks until the session ends. Returns normally when it was closed: by this side, or by the host, which
     * closes by stopping its heartbeat and removing the segment file (v1.0 has no close frame; a host that
     * died leaves the file behind).
     *
     * @throws RapaceRuntimeException of kind {@link Kind#TRANSPORT} when it ended because the peer died or the
     *     segment failed
     */
    public void awaitTermination() {
        try {
            this.session.closeFuture().get();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new RapaceRuntimeException(Kind.TRANSPORT,
                    "interrupted while serving the segment " + this.path, ex);
        }
        catch (ExecutionException ex) {
            Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
            if (hostClosed(cause)) {
                return;
            }
            throw new RapaceRuntimeException(Kind.TRANSPORT, "the session over " + this.path
                    + " ended because the peer died or the segment failed (liveness timeout "
                    + this.livenessTimeout + "): " + cause, cause);
        }
    }

    /** The host stopped heartbeating and removed the segment file: it closed rather than died. */
    private boolean hostClosed(Throwable cause) {
        return cause instanceof RapaceException rapace && rapace.errorCode() == ErrorCode.PEER_DIED
                && this.session.role() == PeerRole.PLUGIN && this.session.transport().peerClosedSegment();
    }

    /** Closes the session gracefully (in-flight handlers get the close grace); idempotent. */
    @Override
    public void close() {
        this.session.close();
    }

    @Override
    public String toString() {
        return "RapaceConnection[" + this.path + ", " + this.session.state() + "]";
    }
}
