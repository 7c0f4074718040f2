package io.rapace.core.runtime;

import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.core.operations.RapaceOperations;
import io.rapace.core.runtime.RapaceRuntimeException.Kind;
import io.rapace.core.service.ClientOptions;
import io.rapace.core.service.RapaceClients;
import io.rapace.core.service.SessionSource;
import io.rapace.core.session.Dispatcher;
import io.rapace.core.session.RpcSession;
import io.rapace.core.session.SessionState;
import io.rapace.transport.shm.ShmConfig;
import org.jspecify.annotations.Nullable;

/**
 * The host side without Spring: creates the segment (every header initialised before the plugin starts,
 * spec §9), launches the plugin command with the segment path as its last argument, hands out typed clients,
 * optionally serves services to the plugin, and on {@link #close()} (or the JVM's shutdown) stops the plugin
 * in order (SIGTERM, its grace period, SIGKILL only then), closes the session and deletes the segment file.
 *
 * <pre>{@code
 * try (RapaceHost host = RapaceHost.builder().command(List.of("./my-plugin")).start()) {
 *     Calculator calculator = host.client(Calculator.class);
 *     int sum = calculator.add(2, 3);
 * }
 * }</pre>
 */
public final class RapaceHost implements AutoCloseable {

    /** The logger, made at this class's first log line: a process that logs nothing never sets up the JDK's logging. */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(RapaceHost.class.getName());
    }

    /**
     * The default plugin grace period: the Spring plugin drains in-flight calls for up to 10 s
     * ({@code rapace.shutdown-grace-period}; a plain {@link RapacePlugin} 5 s, its close grace), then closes its
     * context and exits; 5 s more for that.
     */
    static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(15);

    private static final long READY_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final Path path;

    private final boolean keepFile;

    private final RpcSession session;

    private final PluginProcess plugin;

    private final ConnectionSettings settings;

    private final Duration stopTimeout;

    private final AtomicBoolean closing = new AtomicBoolean();

    /** Set by whichever reports the plugin's own exit first: the watch on the process, or a close that came after it. */
    private final AtomicBoolean exitReported = new AtomicBoolean();

    /**
     * The plugin has exited: set by the watch on its process as soon as it learns of the exit, read by every call of a
     * client. Volatile: a plain load on the call's path, where {@link Process#isAlive()} takes the JDK's lock on the
     * process (about 13 ns of the caller's time a call).
     */
    private volatile boolean pluginExited;

    // Runs close() should the JVM exit without it (SIGTERM, System.exit): the plugin gets the same orderly stop.
    private final Thread closeOnShutdown;

    private RapaceHost(Builder builder, Path path, RpcSession session, PluginProcess plugin) {
        this.path = path;
        this.keepFile = builder.keepFile;
        this.session = session;
        this.plugin = plugin;
        this.settings = builder.settings();
        this.stopTimeout = builder.stopTimeout;
        session.transport().peerProcessWatched();
        ExitWatch.ofChild(plugin.process(), "rapace-plugin-exit-" + plugin.process().pid(), this::onPluginExit);
        Duration jvmExitGrace = builder.jvmExitGrace;
        this.closeOnShutdown = ShutdownHooks.register(() -> {
            this.plugin.awaitExit(jvmExitGrace);
            close();
        });
    }

    /**
     * A builder with the defaults: a temporary segment file, {@link ShmConfig#PLUGIN_DEFAULT}, the plugin's output
     * forwarded to this process's console.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The segment file. */
    public Path path() {
        return this.path;
    }

    /** The session, for raw calls. */
    public RpcSession session() {
        return this.session;
    }

    /**
     * The plugin process. Its output streams are this host's to forward unless they were redirected: read
     * {@link Process#getInputStream()} only after {@link Builder#redirectOutput redirectOutput(Redirect.PIPE)}.
     */
    public Process process() {
        return this.plugin.process();
    }

    /** A client of the plugin's service declared by {@code serviceInterface}, with the default call timeout. */
    public <T> T client(Class<T> serviceInterface) {
        return client(serviceInterface, ClientOptions.defaults());
    }

    /**
     * A client of the plugin's service declared by {@code serviceInterface}. Once the plugin process has
     * exited, its calls fail at once with {@link ErrorCode#PEER_DIED} naming the exit code. Clients are thread-safe:
     * one per service is enough.
     */
    public <T> T client(Class<T> serviceInterface, ClientOptions options) {
        return RapaceClients.create(serviceInterface, SessionSource.guarded(this.session, this::pluginExitProblem),
                options);
    }

    /**
     * The plugin's operations service: its health and meters, read over the session itself
     * ({@code host.operations().health()}). Every plugin built on this project serves it (Spring Boot from its
     * health contributors and meter registry, plain Java from its session); a plugin that does not answers
     * {@code UNIMPLEMENTED}.
     */
    public RapaceOperations operations() {
        return client(RapaceOperations.class);
    }

    /**
     * Waits until the plugin has opened the segment (its first heartbeat).
     *
     * @throws RapaceRuntimeException of kind {@link Kind#LAUNCH_FAILED} when the process exits first or
     *     {@code timeout} passes; its message names the plugin command, its exit code (and the signal it
     *     stands for, such as 137 for SIGKILL) and shows the last lines of its standard error and output
     *     (stack frames condensed), read from the plugin's forwarded output or from the file it was
     *     redirected to
     */
    public void awaitPluginStarted(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!this.plugin.isAlive()) {
                throw new RapaceRuntimeException(Kind.LAUNCH_FAILED, this.plugin.withLastOutput(
                        this.plugin.exitDescription() + " before opening the segment " + this.path));
            }
            if (pluginHasHeartbeated()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new RapaceRuntimeException(Kind.LAUNCH_FAILED, this.plugin.withLastOutput(
                        this.plugin.describe() + " did not open the segment " + this.path + " within " + timeout));
            }
            LockSupport.parkNanos(READY_POLL_NANOS);
        }
    }

    /**
     * Stops in order: asks the plugin to stop with SIGTERM ({@link ProcessHandle#destroy()}) and waits up to the
     * stop timeout (the plugin's grace period) while the session still runs, so that the plugin drains its
     * in-flight calls, their replies reach their callers and it exits (143); only then kills it
     * ({@link ProcessHandle#destroyForcibly()}); waits (up to 2 s) for the last of its forwarded output; then
     * closes the session gracefully (the host's own in-flight handlers get the close grace) and deletes the
     * segment file unless told to keep it. The session is closed after the plugin, not before: a silent host
     * would be declared dead by the draining plugin after its liveness timeout, cutting its grace period short.
     * A JVM shutdown hook does the same should the host JVM exit without calling this (SIGTERM to the host
     * included). Idempotent: a second call returns at once.
     */
    @Override
    public void close() {
        if (!this.closing.compareAndSet(false, true)) {
            return;
        }
        // Gone before this close asked it to stop (it died, or failed to start): reported as the watch on the
        // process would, which may not have come to it yet (its thread woke after the caller learned of the exit).
        if (!this.plugin.isAlive()) {
            reportExit();
        }
        try {
            this.plugin.stop(this.stopTimeout);
            this.plugin.awaitOutputEnd();
        }
        finally {
            try {
                this.session.close(this.settings.closeGrace());
            }
            finally {
                if (!this.keepFile) {
                    this.session.transport().removeSegmentFile();
                }
                ShutdownHooks.withdraw(this.closeOnShutdown);
            }
        }
    }

    @Override
    public String toString() {
        return "RapaceHost[" + this.path + ", " + this.plugin.describe() + ", " + this.session.state() + "]";
    }

    /**
     * The refusal of a call made once the plugin has exited. A call made in the microseconds between the exit and the
     * watch's flag goes to the session instead, and fails there the same way as the watch reports the exit.
     */
    private @Nullable RapaceException pluginExitProblem() {
        return this.pluginExited ? new RapaceException(ErrorCode.PEER_DIED, this.plugin.exitDescription()) : null;
    }

    private boolean pluginHasHeartbeated() {
        try {
            return this.session.transport().peerHeartbeatAgeNanos() >= 0;
        }
        catch (RuntimeException closed) {
            // The transport is closed (session ended): it did run, or it never will.
            return false;
        }
    }

    /**
     * An unexpected exit: the plugin is gone, so its session ends now and every pending call (typed or raw)
     * fails with PEER_DIED naming the exit code; a plugin that merely stalls is never declared dead. After the
     * host closed its session itself (to let the plugin exit 0), the exit is expected and only noted.
     */
    private void onPluginExit() {
        this.pluginExited = true;
        if (!this.closing.get()) {
            reportExit();
        }
    }

    /** Reports the plugin's exit, once, as {@link #onPluginExit} describes. */
    private void reportExit() {
        if (!this.exitReported.compareAndSet(false, true)) {
            return;
        }
        SessionState state = this.session.state();
        if (state == SessionState.CLOSING || state == SessionState.CLOSED) {
            Log.LOG.log(System.Logger.Level.INFO,
                    () -> this.plugin.exitDescription() + " after the host closed its session");
            return;
        }
        String when = pluginNeverOpened() ? " before opening the segment " + this.path
                : " while the host was using it";
        Log.LOG.log(System.Logger.Level.WARNING, () -> this.plugin.exitDescription() + when);
        this.session.peerGone(this.plugin.exitDescription());
    }

    /** Whether the plugin is known not to have opened the segment: no heartbeat yet on an open transport. */
    private boolean pluginNeverOpened() {
        try {
            return this.session.transport().peerHeartbeatAgeNanos() < 0;
        }
        catch (RuntimeException closed) {
            return false;
        }
    }

    /** Configures and starts a {@link RapaceHost}. Not thread-safe. */
    public static final class Builder extends ConnectionBuilder<Builder> {

        private @Nullable Path path;

        private ShmConfig config = ShmConfig.PLUGIN_DEFAULT;

        private boolean keepFile;

        private final List<String> command = new ArrayList<>();

        private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;

        // Null: forwarded to System.out / System.err with the last lines kept (PluginConsole).
        private @Nullable Redirect output;

        private @Nullable Redirect error;

        private String pathArgumentPrefix = "";

        private final Map<String, String> environment = new LinkedHashMap<>();

        private @Nullable Path directory;

        private Duration jvmExitGrace = Duration.ZERO;

        private Builder() {
        }

        /**
         * The segment file; default a fresh temporary file {@code rapace-*.shm} (in {@code /dev/shm} when
         * available; abandoned ones there are removed at start). The path must name nothing, or an abandoned
         * segment or empty file of this user (docs/segment-files.md).
         */
        public Builder path(Path segmentPath) {
            this.path = Objects.requireNonNull(segmentPath, "segmentPath");
            return this;
        }

        /** The geometry; default {@link ShmConfig#PLUGIN_DEFAULT}, the only one a Rust plugin can open. */
        public Builder config(ShmConfig segmentConfig) {
            this.config = Objects.requireNonNull(segmentConfig, "segmentConfig");
            return this;
        }

        /** Whether to leave the segment file behind on close; default {@code false}. */
        public Builder keepFile(boolean keep) {
            this.keepFile = keep;
            return this;
        }

        /** The plugin command; the segment path is appended as its last argument. */
        public Builder command(List<String> pluginCommand) {
            this.command.clear();
            this.command.addAll(pluginCommand);
            return this;
        }

        /** The plugin command; the segment path is appended as its last argument. */
        public Builder command(String... pluginCommand) {
            return command(List.of(pluginCommand));
        }

        /**
         * The plugin's grace period: how long {@link RapaceHost#close()} (or the host's JVM shutdown) waits for
         * the plugin to exit after SIGTERM before killing it; default 15 s, the sample plugin's 10 s drain
         * ({@code rapace.shutdown-grace-period}) plus time to close its context and exit.
         */
        public Builder stopTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("stopTimeout must be >= 0, was " + timeout);
            }
            this.stopTimeout = timeout;
            return this;
        }

        /**
         * Where the plugin's standard output goes. By default it is forwarded, byte for byte as it comes, to this
         * process's {@code System.out} (so it shows in the host's console as if inherited, but through the
         * host's stream: a captured or replaced {@code System.out} gets it) and its last lines are kept for the
         * report of a start-up failure ({@link RapaceHost#awaitPluginStarted}). A destination given here is used
         * as {@link ProcessBuilder#redirectOutput(Redirect)} does: a file's last lines are read back for that
         * report; {@link Redirect#INHERIT} (the host's very file descriptor, a terminal stays a terminal),
         * {@link Redirect#DISCARD} and {@link Redirect#PIPE} (read {@code process().getInputStream()} yourself)
         * keep none.
         */
        public Builder redirectOutput(Redirect destination) {
            this.output = Objects.requireNonNull(destination, "destination");
            return this;
        }

        /**
         * Where the plugin's standard error goes: by default forwarded to this process's {@code System.err}, its
         * last lines kept; otherwise as {@link #redirectOutput(Redirect)} says.
         */
        public Builder redirectError(Redirect destination) {
            this.error = Objects.requireNonNull(destination, "destination");
            return this;
        }

        /**
         * What goes before the segment path in the plugin's last argument: {@code ""} (the default: the path
         * alone, a positional argument), {@code "--shm-path="}, or {@code "--addr="} for plugins that take
         * {@code --transport=shm --addr=PATH}.
         */
        public Builder pathArgumentPrefix(String prefix) {
            this.pathArgumentPrefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /** Variables added to (or replacing those of) the environment the plugin inherits; default none. */
        public Builder environment(Map<String, String> variables) {
            this.environment.putAll(Objects.requireNonNull(variables, "variables"));
            return this;
        }

        /** The plugin's working directory; default this process's. */
        public Builder workingDirectory(Path workingDirectory) {
            this.directory = Objects.requireNonNull(workingDirectory, "workingDirectory");
            return this;
        }

        /**
         * How long the JVM shutdown hook waits for the plugin to exit (or for the application to close this host
         * itself) before it closes the host (SIGTERM, the stop timeout, then SIGKILL), should the JVM exit while
         * the host is open; default zero. A framework that stops its plugins in order from a shutdown hook of its
         * own (Spring's context close, after draining its requests) sets it, so this hook is only the last resort.
         */
        public Builder jvmExitGrace(Duration grace) {
            if (Objects.requireNonNull(grace, "grace").isNegative()) {
                throw new IllegalArgumentException("jvmExitGrace must not be negative, was " + grace);
            }
            this.jvmExitGrace = grace;
            return this;
        }

        /** {@code command(pluginCommand).start()}. */
        public RapaceHost launch(List<String> pluginCommand) {
            return command(pluginCommand).start();
        }

        /**
         * Creates and initialises the segment, starts the session (odd channel ids) with the host services
         * installed, then launches the plugin.
         *
         * @throws RapaceRuntimeException {@link Kind#OPEN_FAILED} when the segment cannot be created,
         *     {@link Kind#RPC} when the services or the session cannot be set up, {@link Kind#LAUNCH_FAILED}
         *     when the process cannot be started, or the JVM is shutting down (a plugin launched then would
         *     outlive it: nothing is launched, no file is left)
         */
        public RapaceHost start() {
            if (this.command.isEmpty()) {
                throw new IllegalStateException("no plugin command: call command(...) before start()");
            }
            Dispatcher dispatcher = dispatcher(serviceList(), "the plugin");
            // A plugin launched now would outlive this JVM: its shutdown hook could no longer be registered.
            ShutdownHooks.refuseWhileShuttingDown("cannot launch the plugin " + this.command
                    + ": the JVM is shutting down");
            Path segment = segmentPath();
            // On failure the transport has deleted a file it created, and never touches one it refused.
            RpcSession session = SegmentConnector.create(segment, this.config, settings(), dispatcher);
            PluginProcess plugin;
            try {
                plugin = PluginProcess.launch(this.command, this.pathArgumentPrefix + segment,
                        new PluginConsole(this.output, this.error), Map.copyOf(this.environment), this.directory);
            }
            catch (RuntimeException ex) {
                abandon(session);
                throw ex;
            }
            try {
                return new RapaceHost(this, segment, session, plugin);
            }
            catch (RuntimeException ex) {
                // The JVM began to shut down meanwhile (no shutdown hook can be added): leave nothing behind.
                plugin.process().destroyForcibly();
                abandon(session);
                throw new RapaceRuntimeException(Kind.LAUNCH_FAILED, "cannot launch the plugin " + this.command
                        + ": " + (ex instanceof IllegalStateException ? "the JVM is shutting down" : ex.toString()),
                        ex);
            }
        }

        /** The path asked for, or a new one in the temporary directory (whose abandoned segments are removed). */
        private Path segmentPath() {
            if (this.path != null) {
                return this.path;
            }
            Path directory = SegmentFiles.temporaryDirectory();
            SegmentFiles.removeStale(directory);
            return SegmentFiles.newTemporaryPath(directory);
        }

        /** A start that failed after the segment was made: the session closes, the file goes unless kept. */
        private void abandon(RpcSession session) {
            session.close(Duration.ZERO);
            if (!this.keepFile) {
                session.transport().removeSegmentFile();
            }
        }
    }
}
