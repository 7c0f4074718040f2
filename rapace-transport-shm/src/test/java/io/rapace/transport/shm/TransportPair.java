package io.rapace.transport.shm;

import java.nio.file.Path;

/**
 * A host transport that created a segment file and a plugin transport that opened it, both with the same options;
 * closing closes the plugin, then the host. For tests that need a connected pair and nothing else.
 */
record TransportPair(ShmTransport host, ShmTransport plugin) implements AutoCloseable {

    static TransportPair connect(Path file, ShmConfig config, ShmOptions options) {
        ShmTransport host = ShmTransport.create(file, config, options);
        try {
            return new TransportPair(host, ShmTransport.open(file, options));
        }
        catch (RuntimeException ex) {
            host.close();
            throw ex;
        }
    }

    @Override
    public void close() {
        try {
            this.plugin.close();
        }
        finally {
            this.host.close();
        }
    }
}
