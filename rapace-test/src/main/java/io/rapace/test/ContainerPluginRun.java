package io.rapace.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import io.rapace.core.service.Services;
import io.rapace.core.session.RpcSession;
import io.rapace.core.session.SessionOptions;
import io.rapace.transport.shm.ShmConfig;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.output.OutputFrame;

/**
 * A plugin image in a container ({@link RapacePluginContainer}) with a host session in the test JVM: the host
 * creates the segment in a directory of its own ({@code /dev/shm/rapace-container-<random>/}, the only one the
 * container sees), starts the container, awaits the plugin's heartbeat and, when the container's process is
 * visible here, watches it so that a crash fails calls at once. The end is the host closing: its heartbeat
 * stops and the file is removed, the plugin exits 0 by itself, and the container is removed.
 */
final class ContainerPluginRun implements PluginRun {

    /** How long a plugin may take to notice that its host closed (liveness timeout, 3 s) and exit, on top. */
    private static final Duration NOTICE_HOST_CLOSED = Duration.ofSeconds(10);

    /** Marks the kit's containers, so that ones left by a killed test JVM are removed by the next run. */
    static final String LABEL = "io.rapace.test";

    private final RpcSession host;

    private final RapacePluginContainer container;

    private final Path directory;

    private final Path log;

    private final PluginSettings settings;

    private final String description;

    private ContainerPluginRun(RpcSession host, RapacePluginContainer container, Path directory, Path log,
            PluginSettings settings, String description) {
        this.host = host;
        this.container = container;
        this.directory = directory;
        this.log = log;
        this.settings = settings;
        this.description = description;
    }

    /**
     * Creates the segment and the host session, starts the container and waits for the plugin's heartbeat.
     *
     * @throws org.opentest4j.TestAbortedException when no Docker engine is reachable (the test is skipped)
     * @throws RapacePluginException when the container exits first or does not open the segment in time; the
     *     container, the host and the segment are gone by then
     */
    static ContainerPluginRun start(PluginSource.Container source, PluginSettings settings, String logName) {
        engineMissing(source).ifPresent(Assumptions::abort);
        removeExitedContainers();
        Path directory = newDirectory();
        Path segment = directory.resolve("rapace-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current()
                .nextLong()) + ".shm");
        RpcSession host = startHost(segment, settings);
        Path log = PluginLogs.newFile(logName);
        RapacePluginContainer container = new RapacePluginContainer(source.image()).withSegment(segment)
                .withPathArgumentPrefix(settings.pathArgumentPrefix().isEmpty() ? "--shm-path="
                        : settings.pathArgumentPrefix())
                .withPluginArguments(settings.arguments().toArray(String[]::new))
                .withLabel(LABEL, "plugin")
                .withLogConsumer((OutputFrame frame) -> append(log, frame.getUtf8String()));
        source.customizer().accept(container);
        String description = "the plugin (image " + source.image() + ")";
        ContainerPluginRun run = new ContainerPluginRun(host, container, directory, log, settings, description);
        try {
            container.start();
            run.awaitHeartbeat();
            container.watchFrom(host);
            return run;
        }
        catch (RuntimeException ex) {
            List<String> problems = run.stop();
            throw new RapacePluginException(description + " did not start: " + ex.getMessage()
                    + (problems.isEmpty() ? "" : "; also: " + String.join("; ", problems)) + "\n"
                    + PluginLogs.tail(log, settings.logTailLines()), null, ex);
        }
    }

    /** Why {@code source} cannot run here (no reachable Docker engine), or empty when it can. */
    static Optional<String> engineMissing(PluginSource.Container source) {
        return DockerClientFactory.instance().isDockerAvailable() ? Optional.empty() : Optional.of("no Docker engine "
                + "is reachable, so the plugin image " + source.image() + " cannot run: container test skipped");
    }

    /**
     * Removes the kit's containers that exited more than a minute ago: a test JVM killed mid-run cannot remove
     * its own, and with Testcontainers' Ryuk disabled (no registry for its image) nothing else does. A minute,
     * so that a parallel run still reads the exit code of its container that has just exited.
     */
    private static void removeExitedContainers() {
        var client = DockerClientFactory.instance().client();
        java.time.Instant before = java.time.Instant.now().minus(Duration.ofMinutes(1));
        for (var container : client.listContainersCmd().withShowAll(true).withLabelFilter(List.of(LABEL))
                .withStatusFilter(List.of("exited", "dead")).exec()) {
            try {
                String finished = client.inspectContainerCmd(container.getId()).exec().getState().getFinishedAt();
                if (finished != null && java.time.Instant.parse(finished).isBefore(before)) {
                    client.removeContainerCmd(container.getId()).withForce(true).exec();
                }
            }
            catch (RuntimeException gone) {
                // Removed meanwhile by another run: nothing to do.
            }
        }
    }

    private static RpcSession startHost(Path segment, PluginSettings settings) {
        ShmTransport transport = ShmTransport.create(segment, ShmConfig.PLUGIN_DEFAULT, ShmOptions.defaults());
        try {
            SessionOptions options = SessionOptions.defaults().withDefaultCallTimeout(settings.callTimeout());
            if (!settings.hostServices().isEmpty()) {
                options = options.withDispatcher(Services.dispatcher(settings.hostServices().toArray()));
            }
            return RpcSession.start(transport, options);
        }
        catch (RuntimeException ex) {
            transport.close();
            transport.removeSegmentFile();
            throw ex;
        }
    }

    private void awaitHeartbeat() {
        long deadline = System.nanoTime() + this.settings.startTimeout().toNanos();
        while (this.host.transport().peerHeartbeatAgeNanos() < 0) {
            if (!this.container.isRunning()) {
                throw new IllegalStateException("the container exited with code " + this.container.awaitExit(
                        Duration.ofSeconds(5)).map(String::valueOf).orElse("unknown") + " before it opened the "
                        + "segment " + segment());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the container did not open the segment " + segment() + " within "
                        + "the start timeout " + this.settings.startTimeout());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /** The container (running or not); for tests that look at it. */
    RapacePluginContainer container() {
        return this.container;
    }

    @Override
    public RpcSession session() {
        return this.host;
    }

    @Override
    public Optional<Process> process() {
        return Optional.empty();
    }

    @Override
    public Optional<Path> log() {
        return Optional.of(this.log);
    }

    @Override
    public Optional<String> logTail() {
        return Optional.of(PluginLogs.tail(this.log, this.settings.logTailLines()));
    }

    /**
     * Closes the host (heartbeat stops, the segment file is removed), waits for the plugin to exit by itself,
     * stops it if it does not, removes the container, the segment and its directory.
     */
    @Override
    public List<String> stop() {
        List<String> problems = new ArrayList<>();
        boolean wasRunning = this.container.getContainerId() != null && this.container.isRunning();
        try {
            this.host.close(this.settings.stopTimeout());
        }
        finally {
            this.host.transport().removeSegmentFile();
        }
        if (this.container.getContainerId() != null) {
            Optional<Integer> exit = this.container.awaitExit(this.settings.stopTimeout().plus(NOTICE_HOST_CLOSED));
            if (exit.isEmpty()) {
                problems.add(this.description + " did not exit within " + this.settings.stopTimeout().plus(
                        NOTICE_HOST_CLOSED) + " after its host closed, and was stopped");
            }
            else if (exit.get() != 0) {
                problems.add(this.description + (wasRunning ? " exited with code " + exit.get()
                        + " after its host closed (expected 0)" : " had exited with code " + exit.get()
                                + " before the end of the tests"));
            }
        }
        // Removes the container (and stops it first if it still runs).
        this.container.stop();
        ProcessPluginRun.removeLeftover(segment(), problems);
        removeDirectory(problems);
        return problems;
    }

    private void removeDirectory(List<String> problems) {
        try (Stream<Path> left = Files.list(this.directory)) {
            for (Path file : left.toList()) {
                Files.deleteIfExists(file);
                problems.add("the file " + file + " was left in the segment directory and has been removed");
            }
            Files.deleteIfExists(this.directory);
        }
        catch (IOException ex) {
            problems.add("the segment directory " + this.directory + " cannot be removed: " + ex);
        }
    }

    /**
     * A new directory {@code rapace-container-<random>} (mode 0700) in {@code /dev/shm} (else
     * {@code java.io.tmpdir}); empty ones and abandoned segments in ones left by a killed test JVM go first.
     */
    private static Path newDirectory() {
        Path base = TestSegments.newPath().getParent();
        try (Stream<Path> old = Files.list(base)) {
            for (Path stale : old.filter(p -> p.getFileName().toString().startsWith("rapace-container-")).toList()) {
                ShmTransport.removeStaleSegments(stale, "*.shm");
                try {
                    Files.deleteIfExists(stale);
                }
                catch (IOException notEmpty) {
                    // A segment of another live test: leave it.
                }
            }
            return Files.createDirectory(base.resolve("rapace-container-" + HexFormat.of().toHexDigits(
                    ThreadLocalRandom.current().nextLong())), PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
        }
        catch (IOException ex) {
            throw new java.io.UncheckedIOException("cannot create a segment directory in " + base + ": " + ex, ex);
        }
    }

    private static void append(Path log, String text) {
        try {
            Files.writeString(log, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        }
        catch (IOException ex) {
            // The log is for people; a failed write must not break the plugin's log stream.
        }
    }
}
