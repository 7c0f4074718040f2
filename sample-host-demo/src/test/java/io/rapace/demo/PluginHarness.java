package io.rapace.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.rapace.core.service.ClientOptions;
import io.rapace.core.service.RapaceClients;
import io.rapace.core.session.RpcSession;
import io.rapace.core.session.SessionOptions;
import io.rapace.transport.shm.ShmConfig;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;
import org.jspecify.annotations.Nullable;

import static org.awaitility.Awaitility.await;

/**
 * A test host: creates a segment, starts the host session, launches the packaged sample plugin jar as a
 * real process (same java binary as this JVM) and reads its actuator over JMX. {@link #close()} kills the
 * process if it still runs and deletes every file.
 */
final class PluginHarness implements AutoCloseable {

    /** How generous every wait is: a Spring Boot JVM may take long to start on a loaded 2-core machine. */
    static final Duration PATIENCE = Duration.ofSeconds(120);

    /** The three ways a host can pass the segment path. */
    enum PathStyle {

        SHM_PATH_OPTION("--shm-path=%s"), SPRING_PROPERTY("--rapace.shm.path=%s"), POSITIONAL("%s");

        private final String format;

        PathStyle(String format) {
            this.format = format;
        }

        String argument(Path path) {
            return this.format.formatted(path);
        }
    }

    private final Path segment;

    private final Path log;

    private final RpcSession session;

    private final Process process;

    private @Nullable PluginActuator actuator;

    private PluginHarness(Path segment, Path log, RpcSession session, Process process) {
        this.segment = segment;
        this.log = log;
        this.session = session;
        this.process = process;
    }

    /** Creates a segment in {@code directory} and launches the plugin with the path passed as {@code style}. */
    static PluginHarness launch(Path directory, PathStyle style, String... pluginArguments) throws IOException {
        return launch(directory, List.of(javaBinary(), "-XX:TieredStopAtLevel=1", "-jar", pluginJar()), style,
                pluginArguments);
    }

    /**
     * Creates a segment in {@code directory} and launches {@code launcher} (a command) with the path passed as
     * {@code style}, then {@code pluginArguments}.
     */
    static PluginHarness launch(Path directory, List<String> launcher, PathStyle style, String... pluginArguments)
            throws IOException {
        Path segment = directory.resolve("sample.shm");
        Path log = directory.resolve("plugin.log");
        ShmTransport transport = ShmTransport.create(segment, ShmConfig.PLUGIN_DEFAULT, ShmOptions.defaults());
        RpcSession session = RpcSession.start(transport, SessionOptions.defaults());
        List<String> command = new ArrayList<>(launcher);
        command.add(style.argument(segment));
        command.addAll(List.of(pluginArguments));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        }
        catch (IOException ex) {
            session.close();
            throw ex;
        }
        return new PluginHarness(segment, log, session, process);
    }

    /** The fast-launch script that the build of sample-plugin-app leaves beside the jar. */
    static Path fastLaunchScript() {
        Path script = Path.of(System.getProperty("sample.plugin.launcher", "../sample-plugin-app/target/sample-plugin-app"))
            .toAbsolutePath()
            .normalize();
        if (!Files.isExecutable(script)) {
            throw new IllegalStateException("the fast-launch script " + script + " is missing: run ./mvnw package first");
        }
        return script;
    }

    static String pluginJar() {
        String jar = System.getProperty("sample.plugin.jar", "../sample-plugin-app/target/sample-plugin-app.jar");
        if (!Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("the sample plugin jar " + jar + " is missing: run ./mvnw package first");
        }
        return jar;
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElseThrow(
                () -> new IllegalStateException("cannot tell which java binary runs this JVM"));
    }

    Path segment() {
        return this.segment;
    }

    Process process() {
        return this.process;
    }

    <T> T client(Class<T> serviceInterface) {
        return RapaceClients.create(serviceInterface, this.session, ClientOptions.defaults().withTimeout(PATIENCE));
    }

    /** The plugin's actuator, attached on first use. */
    PluginActuator actuator() {
        PluginActuator current = this.actuator;
        if (current == null) {
            current = PluginActuator.attach(this.process.pid(), PATIENCE);
            this.actuator = current;
        }
        return current;
    }

    /** Waits until the plugin's {@code rapace} health component is UP. */
    void awaitRapaceUp() {
        await("rapace health UP; plugin log:\n" + log()).atMost(PATIENCE)
            .pollInterval(Duration.ofMillis(200))
            .until(() -> "UP".equals(actuator().componentStatus("rapace")));
    }

    /** Stops being a host: closes the host session and its transport, so the heartbeat stops. */
    void stopHeartbeating() {
        this.session.close();
    }

    /** Waits for the plugin process to exit by itself and returns its exit code. */
    int awaitExit() throws InterruptedException {
        if (!this.process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("the plugin did not exit within " + PATIENCE + "; log:\n" + log());
        }
        return this.process.exitValue();
    }

    /** The plugin's output so far. */
    String log() {
        try {
            return Files.readString(this.log);
        }
        catch (IOException ex) {
            return "(no log: " + ex.getMessage() + ")";
        }
    }

    /** Interrupted while waiting for the plugin to stop, kills it and keeps the interrupt. */
    @Override
    public void close() throws IOException {
        try {
            if (this.actuator != null) {
                this.actuator.close();
            }
            this.session.close();
            if (this.process.isAlive()) {
                this.process.destroy();
                if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
                    this.process.destroyForcibly().waitFor();
                }
            }
        }
        catch (InterruptedException ex) {
            this.process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        finally {
            Files.deleteIfExists(this.segment);
            Files.deleteIfExists(this.log);
        }
    }
}
