package io.rapace.core.session;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.rapace.transport.shm.ShmConfig;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;

/**
 * A host session and a plugin session over one real mapped file in this JVM, each with a mutable
 * handler table. Closing it closes both sessions (and so both transports).
 */
final class SessionPair implements AutoCloseable {

    static final ShmConfig CONFIG = new ShmConfig(64, 4096, 32);

    final Map<Integer, MethodHandler> hostHandlers = new ConcurrentHashMap<>();

    final Map<Integer, MethodHandler> pluginHandlers = new ConcurrentHashMap<>();

    /**
     * Looked up before {@link #pluginHandlers}, with no box per look-up (a map of {@code Integer} keys boxes an id
     * beyond the {@code Integer} cache): for a test of what serving allocates.
     */
    volatile Dispatcher pluginServices = methodId -> null;

    final RpcSession host;

    final RpcSession plugin;

    SessionPair(Path file, ShmOptions hostTransportOptions, ShmOptions pluginTransportOptions, SessionOptions sessionOptions) {
        ShmTransport hostTransport = ShmTransport.create(file, CONFIG, hostTransportOptions);
        ShmTransport pluginTransport = ShmTransport.open(file, pluginTransportOptions);
        this.host = RpcSession.start(hostTransport, sessionOptions.withDispatcher(this.hostHandlers::get));
        this.plugin = RpcSession.start(pluginTransport, sessionOptions.withDispatcher(methodId -> {
            MethodHandler service = this.pluginServices.lookup(methodId);
            return service != null ? service : this.pluginHandlers.get(methodId);
        }));
    }

    SessionPair(Path file) {
        this(file, ShmOptions.defaults(), ShmOptions.defaults(), SessionOptions.defaults());
    }

    @Override
    public void close() {
        this.plugin.close(Duration.ZERO);
        this.host.close(Duration.ZERO);
    }
}
