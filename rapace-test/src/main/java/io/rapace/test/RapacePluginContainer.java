package io.rapace.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.github.dockerjava.api.command.InspectContainerResponse;
import io.rapace.core.session.RpcSession;
import org.jspecify.annotations.Nullable;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;

/**
 * A plugin image run by Testcontainers beside a host in the test JVM, sharing the host's segment file.
 *
 * <pre>{@code
 * Path segment = ...;                                   // created by the host (ShmTransport.create) first
 * try (RapacePluginContainer plugin = new RapacePluginContainer("rapace/sample-plugin:dev").withSegment(segment)) {
 *     plugin.start();                                   // then await the plugin's heartbeat on the host side
 * }
 * }</pre>
 *
 * <p>{@link #withSegment} sets what the segment needs to cross the container boundary: the segment's
 * directory bind-mounted read-write at the same path (so the path the host passes means the same file inside),
 * the path as the last argument ({@code --shm-path=PATH}, the host convention; {@link #withPathArgumentPrefix}),
 * the container running as the uid:gid that owns the segment file (the file is {@code 0600}: any other user is
 * refused), and no network. The futex of the wake extension works on the shared file mapping across the
 * boundary (both processes map the same inode). The plugin cannot see its host process across the PID
 * namespace, so it notices a host that died only after {@code peerGoneAfter} (docs/containers.md); a host that
 * closes is noticed at once (its heartbeat stops and the file is removed).
 *
 * <p>{@link RapacePluginExtension#container(String)} runs one for a test class with everything else done: the
 * segment, the host, clients, the log, the clean-up.
 */
public class RapacePluginContainer extends GenericContainer<RapacePluginContainer> {

    private @Nullable Path segment;

    private String pathArgumentPrefix = "--shm-path=";

    private List<String> pluginArguments = List.of();

    /** A container of the local (or pullable) image {@code image}, for example {@code rapace/sample-plugin:dev}. */
    // withNetworkMode only records the mode in GenericContainer, as every Testcontainers constructor does.
    @SuppressWarnings("this-escape")
    public RapacePluginContainer(String image) {
        super(Objects.requireNonNull(image, "image"));
        withNetworkMode("none");
    }

    /**
     * The segment file the host created: its directory is bind-mounted at the same path, the container runs as
     * the file's owner, and {@code PREFIX + segment} is its last argument.
     *
     * @throws IllegalArgumentException when the file does not exist (the host creates it before the plugin
     *     starts) or its owner cannot be read
     */
    public RapacePluginContainer withSegment(Path segmentFile) {
        Path absolute = Objects.requireNonNull(segmentFile, "segmentFile").toAbsolutePath();
        if (!Files.isRegularFile(absolute)) {
            throw new IllegalArgumentException("no segment file at " + absolute + ": the host creates the segment "
                    + "before it starts the plugin container");
        }
        Path directory = Objects.requireNonNull(absolute.getParent(), "a segment file has a directory");
        this.segment = absolute;
        withFileSystemBind(directory.toString(), directory.toString(), BindMode.READ_WRITE);
        String user = owner(absolute);
        withCreateContainerCmdModifier(cmd -> cmd.withUser(user));
        return this;
    }

    /** What goes before the segment path in the last argument; default {@code --shm-path=}. */
    public RapacePluginContainer withPathArgumentPrefix(String prefix) {
        this.pathArgumentPrefix = Objects.requireNonNull(prefix, "prefix");
        return this;
    }

    /** Plugin arguments before the segment path (for example {@code --rapace.peer-gone-after=10s}). */
    public RapacePluginContainer withPluginArguments(String... arguments) {
        this.pluginArguments = List.of(arguments);
        return this;
    }

    /** A CPU limit, as {@code docker run --cpus}: {@code 1.5} is one and a half cores. */
    public RapacePluginContainer withCpus(double cpus) {
        if (!(cpus > 0)) {
            throw new IllegalArgumentException("cpus must be positive, was " + cpus);
        }
        withCreateContainerCmdModifier(cmd -> Objects.requireNonNull(cmd.getHostConfig(), "host config")
                .withNanoCPUs((long) (cpus * 1_000_000_000L)));
        return this;
    }

    /** A memory limit in bytes, as {@code docker run --memory} (the JVM sizes its heap from it). */
    public RapacePluginContainer withMemoryLimit(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("memory limit must be positive, was " + bytes);
        }
        withCreateContainerCmdModifier(cmd -> Objects.requireNonNull(cmd.getHostConfig(), "host config")
                .withMemory(bytes));
        return this;
    }

    /** The segment file given to {@link #withSegment}. */
    public Path segment() {
        Path configured = this.segment;
        if (configured == null) {
            throw new IllegalStateException("no segment: call withSegment(path) before start()");
        }
        return configured;
    }

    @Override
    protected void configure() {
        List<String> command = new ArrayList<>(this.pluginArguments);
        command.add(this.pathArgumentPrefix + segment());
        setCommand(command.toArray(String[]::new));
    }

    /**
     * The plugin's main process as this machine sees it: the container's pid in the engine's PID namespace,
     * present only when that process is visible here and maps the segment (a local engine; not Docker Desktop's
     * virtual machine). A host can watch it to learn at once that the plugin died.
     */
    public Optional<ProcessHandle> hostProcess() {
        Long pid = getContainerInfo() == null ? null : getContainerInfo().getState().getPidLong();
        if (pid == null || pid <= 0) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(process -> mapsSegment(pid));
    }

    /**
     * Ends {@code hostSession} with {@code PEER_DIED} as soon as the container's process exits, as a host does for
     * a child process, when that process is visible here ({@link #hostProcess()}), and tells the session's
     * transport that its peer's process is watched. Without this the host learns of a dead plugin from its
     * heartbeat only, after {@code peerGoneAfter}. Call it after the plugin has opened the segment.
     *
     * @return whether the process is watched
     */
    public boolean watchFrom(RpcSession hostSession) {
        Optional<ProcessHandle> process = hostProcess();
        process.ifPresent(plugin -> {
            hostSession.transport().peerProcessWatched();
            plugin.onExit().thenRun(() -> hostSession.peerGone("the plugin container " + getContainerName()
                    + " (image " + getDockerImageName() + ", process " + plugin.pid() + " seen from the host) exited"));
        });
        return process.isPresent();
    }

    /** Whether {@code /proc/PID/maps} lists the segment (it is at the same path inside the container). */
    private boolean mapsSegment(long pid) {
        String file = segment().toString();
        try (var lines = Files.lines(Path.of("/proc", Long.toString(pid), "maps"))) {
            return lines.anyMatch(line -> line.endsWith(" " + file) || line.endsWith(" " + file + " (deleted)"));
        }
        catch (IOException | UncheckedIOException | SecurityException ex) {
            return false;
        }
    }

    /**
     * Waits until the container has exited by itself.
     *
     * @return its exit code, or empty when it still runs after {@code timeout}
     */
    public Optional<Integer> awaitExit(Duration timeout) {
        String id = getContainerId();
        if (id == null) {
            throw new IllegalStateException("the container " + getDockerImageName() + " was never started");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            InspectContainerResponse.ContainerState state = getDockerClient().inspectContainerCmd(id).exec()
                    .getState();
            if (!Boolean.TRUE.equals(state.getRunning())) {
                Long exit = state.getExitCodeLong();
                return Optional.of(exit == null ? -1 : exit.intValue());
            }
            if (System.nanoTime() - deadline > 0) {
                return Optional.empty();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    /** {@code uid:gid} of {@code file}. */
    private static String owner(Path file) {
        try {
            return Files.getAttribute(file, "unix:uid") + ":" + Files.getAttribute(file, "unix:gid");
        }
        catch (IOException | UnsupportedOperationException ex) {
            throw new IllegalArgumentException("cannot read the owner of the segment file " + file + " (the "
                    + "container must run as that user): " + ex, ex);
        }
    }
}
