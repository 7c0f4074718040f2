package io.rapace.core.runtime;

import java.nio.file.Path;

import io.rapace.core.runtime.RapaceRuntimeException.Kind;
import io.rapace.core.session.Dispatcher;
import io.rapace.core.session.RpcSession;
import io.rapace.transport.shm.ShmConfig;
import io.rapace.transport.shm.ShmException;
import io.rapace.transport.shm.ShmOpenException;
import io.rapace.transport.shm.ShmTransport;

/** Opens or creates a segment and starts a session on it, turning every failure into a {@link RapaceRuntimeException}. */
final class SegmentConnector {

    private SegmentConnector() {
    }

    /** Plugin side: waits for the host's segment, opens it, starts the session on even channel ids. */
    static RpcSession open(Path path, ConnectionSettings settings, Dispatcher dispatcher) {
        ShmTransport transport;
        try {
            transport = ShmTransport.open(path, settings.shmOptions());
        }
        catch (ShmOpenException ex) {
            throw switch (ex.reason()) {
                case FILE_NOT_FOUND, NOT_INITIALISED -> new RapaceRuntimeException(Kind.FILE_NOT_CREATED,
                        "the segment file " + path + " was not created and initialised within "
                                + settings.openTimeout() + " (is the host running?): " + ex.getMessage(), ex);
                default -> openFailed(path, ex);
            };
        }
        catch (ShmException | IllegalArgumentException ex) {
            throw openFailed(path, ex);
        }
        return startSession(transport, settings, dispatcher);
    }

    /**
     * Host side: creates the segment with every header initialised and starts the session on odd ids; a
     * segment whose session cannot start is deleted again.
     */
    static RpcSession create(Path path, ShmConfig config, ConnectionSettings settings, Dispatcher dispatcher) {
        ShmTransport transport;
        try {
            transport = ShmTransport.create(path, config, settings.shmOptions());
        }
        catch (ShmException | IllegalArgumentException ex) {
            throw new RapaceRuntimeException(Kind.OPEN_FAILED,
                    "cannot create the segment " + path + " with " + config + ": " + ex.getMessage(), ex);
        }
        try {
            return startSession(transport, settings, dispatcher);
        }
        catch (RuntimeException ex) {
            transport.removeSegmentFile();
            throw ex;
        }
    }

    private static RpcSession startSession(ShmTransport transport, ConnectionSettings settings, Dispatcher dispatcher) {
        try {
            return RpcSession.start(transport, settings.sessionOptions(dispatcher));
        }
        catch (RuntimeException ex) {
            transport.close();
            throw new RapaceRuntimeException(Kind.RPC,
                    "cannot start the RPC session over " + transport.path() + ": " + ex.getMessage(), ex);
        }
    }

    private static RapaceRuntimeException openFailed(Path path, RuntimeException cause) {
        return new RapaceRuntimeException(Kind.OPEN_FAILED,
                "cannot open the segment " + path + ": " + cause.getMessage(), cause);
    }
}
