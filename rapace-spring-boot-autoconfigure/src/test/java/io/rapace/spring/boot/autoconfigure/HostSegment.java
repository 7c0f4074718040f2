package io.rapace.spring.boot.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.rapace.transport.shm.ShmConfig;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;

/** A segment created as a host would, for plugin-side tests; deletes its file on close. */
public final class HostSegment implements AutoCloseable {

    /** A small geometry, so that tests map little memory. */
    public static final ShmConfig CONFIG = new ShmConfig(64, 4096, 32);

    private final ShmTransport transport;

    private HostSegment(ShmTransport transport) {
        this.transport = transport;
    }

    public static HostSegment create(Path directory) {
        return new HostSegment(ShmTransport.create(directory.resolve("rapace-test.shm"), CONFIG, ShmOptions.defaults()));
    }

    public Path path() {
        return this.transport.path();
    }

    public ShmTransport transport() {
        return this.transport;
    }

    @Override
    public void close() throws IOException {
        this.transport.close();
        Files.deleteIfExists(this.transport.path());
    }
}
