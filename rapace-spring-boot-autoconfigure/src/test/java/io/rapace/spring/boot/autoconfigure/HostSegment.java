package io.rapace.spring.boot.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.rapace.core.service.Services;
import io.rapace.core.session.RpcSession;
import io.rapace.core.session.SessionOptions;
import io.rapace.spring.boot.RapaceShmPathResolver;
import io.rapace.transport.shm.ShmConfig;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.FileSystemUtils;

/**
 * A JUnit extension that plays the host for plugin-side tests: before each test it creates a real segment
 * in a fresh temporary directory, as a host would; after each test it stops any host session started with
 * {@link #serve(Object...)}, closes the segment and deletes the directory. Register it as
 * {@code @RegisterExtension final HostSegment host = new HostSegment();}.
 */
public final class HostSegment implements BeforeEachCallback, AfterEachCallback {

    /** A small geometry, so that tests map little memory. */
    public static final ShmConfig CONFIG = new ShmConfig(64, 4096, 32);

    private final List<RpcSession> hostSessions = new ArrayList<>();

    private @Nullable Path directory;

    private @Nullable ShmTransport transport;

    /**
     * A runner of {@code autoConfigurations} (with {@link RapaceServicesAutoConfiguration}, which the others need)
     * that never ends the test JVM: {@code rapace.exit-on-host-exit=false},
     * so that a stalled host cannot make the plugin call {@code System.exit}.
     */
    public static ApplicationContextRunner contextRunner(Class<?>... autoConfigurations) {
        return new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RapaceServicesAutoConfiguration.class))
            .withConfiguration(AutoConfigurations.of(autoConfigurations))
            .withPropertyValues("rapace.exit-on-host-exit=false");
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        Path created = Files.createTempDirectory("rapace-test");
        this.directory = created;
        this.transport = ShmTransport.create(created.resolve("rapace-test.shm"), CONFIG, ShmOptions.defaults());
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        try {
            this.hostSessions.forEach(RpcSession::close);
            this.hostSessions.clear();
            if (this.transport != null) {
                this.transport.close();
            }
        }
        finally {
            if (this.directory != null) {
                FileSystemUtils.deleteRecursively(this.directory);
            }
            this.transport = null;
            this.directory = null;
        }
    }

    /** The segment file. */
    public Path path() {
        return transport().path();
    }

    /** The property that points a plugin at this segment: {@code rapace.shm.path=PATH}. */
    public String pathProperty() {
        return RapaceShmPathResolver.PATH_PROPERTY + "=" + path();
    }

    /** The temporary directory that holds the segment; deleted after the test. */
    public Path directory() {
        Path current = this.directory;
        if (current == null) {
            throw new IllegalStateException("HostSegment is used outside a test: register it with @RegisterExtension");
        }
        return current;
    }

    /** The host's side of the segment. */
    public ShmTransport transport() {
        ShmTransport current = this.transport;
        if (current == null) {
            throw new IllegalStateException("HostSegment is used outside a test: register it with @RegisterExtension");
        }
        return current;
    }

    /** Starts a host session that serves {@code services} to the plugin; stopped after the test. */
    public RpcSession serve(Object... services) {
        RpcSession session = RpcSession.start(transport(),
                SessionOptions.defaults().withDispatcher(Services.dispatcher(services)));
        this.hostSessions.add(session);
        return session;
    }
}
