package io.rapace.spring.boot.autoconfigure;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.rapace.core.service.ClientOptions;
import io.rapace.core.service.RapaceClients;
import io.rapace.core.session.RpcSession;
import io.rapace.spring.boot.autoconfigure.SlowSpringPluginMain.SleeperApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The exit codes of a Spring plugin, a real child JVM ({@link SlowSpringPluginMain}) on a segment that this test
 * hosts: 0 when the host closed (heartbeat stopped, file removed), 1 when its process died, 143 on SIGTERM
 * once the call in flight has been answered.
 */
class SpringPluginExitCodeTests {

    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @RegisterExtension
    final HostSegment host = new HostSegment();

    @Test
    void hostThatClosesAndRemovesTheFileMeansExitZero() throws Exception {
        RpcSession session = this.host.serve();
        Process plugin = launch(session);
        try {
            session.close();
            Files.delete(this.host.path());
            assertThat(exitCode(plugin)).as(this::log).isZero();
        }
        finally {
            plugin.destroyForcibly();
        }
    }

    /**
     * The plugin has no web server and the session's threads are daemons: only Spring Boot's keep-alive (on by
     * default when a segment path is configured) keeps its JVM up after {@code main} returned.
     */
    @Test
    void pluginWithoutAWebServerStaysAliveWhileItsHostRuns() throws Exception {
        RpcSession session = this.host.serve();
        Process plugin = launch(session);
        try {
            await().atMost(PATIENCE).until(() -> log().contains("Started SlowSpringPluginMain"));
            // Alive for 3 s after main returned: nothing but the keep-alive holds the JVM up.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(plugin::isAlive);
            long age = session.transport().peerHeartbeatAgeNanos();
            assertThat(age).as("the plugin still beats").isBetween(0L, Duration.ofSeconds(2).toNanos());
        }
        finally {
            plugin.destroyForcibly();
        }
    }

    @Test
    void hostThatDiesMeansExitOne() throws Exception {
        // A host that dies is a host process that is gone (a host that falls silent while its process lives is
        // stalled, and waited for): a host JVM of its own, killed with -9.
        Path exitFile = this.host.directory().resolve("plugin.exit");
        Process hostJvm = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                SpringPluginHostMain.class.getName(), exitFile.toString())
            .redirectError(logFile().toFile())
            .start();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(hostJvm.getInputStream(), StandardCharsets.UTF_8))) {
            // The plugin's own output is inherited by the host JVM: skip it up to the host's line.
            String line = out.readLine();
            while (line != null && !line.equals("READY")) {
                line = out.readLine();
            }
            assertThat(line).as(this::log).isEqualTo("READY");
            hostJvm.destroyForcibly().waitFor();
            await().atMost(PATIENCE).until(() -> Files.exists(exitFile) && !Files.readString(exitFile).isBlank());
            assertThat(Files.readString(exitFile).strip()).as(this::log).isEqualTo("1");
        }
        finally {
            hostJvm.destroyForcibly().waitFor();
        }
    }

    @Test
    void sigtermDrainsTheCallInFlightThenExits143() throws Exception {
        RpcSession session = this.host.serve();
        Process plugin = launch(session);
        try {
            SleeperApi sleeper = RapaceClients.create(SleeperApi.class, session,
                    ClientOptions.defaults().withTimeout(PATIENCE));
            CompletableFuture<String> call = CompletableFuture.supplyAsync(() -> sleeper.sleep(4000));
            await().atMost(PATIENCE).until(() -> log().contains("SLEEP STARTED"));
            plugin.toHandle().destroy();
            assertThat(call.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the reply reached the host")
                .isEqualTo("slept 4000");
            assertThat(exitCode(plugin)).as(this::log).isEqualTo(143);
            assertThat(log()).contains("SLEEP FINISHED").doesNotContain("SLEEP INTERRUPTED");
        }
        finally {
            plugin.destroyForcibly();
        }
    }

    /** Launches the plugin on the host segment and waits for its first heartbeat. */
    private Process launch(RpcSession session) throws IOException {
        List<String> command = List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                SlowSpringPluginMain.class.getName(), "--rapace.shm.path=" + this.host.path(),
                "--rapace.liveness-timeout=1s");
        Process plugin = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile().toFile())
            .start();
        await("the plugin's first heartbeat; log:\n" + log()).atMost(PATIENCE)
            .until(() -> !plugin.isAlive() || session.transport().peerHeartbeatAgeNanos() >= 0);
        assertThat(plugin.isAlive()).as(this::log).isTrue();
        return plugin;
    }

    private int exitCode(Process plugin) throws InterruptedException {
        assertThat(plugin.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as(this::log).isTrue();
        return plugin.exitValue();
    }

    private Path logFile() {
        return this.host.directory().resolve("plugin.log");
    }

    private String log() {
        try {
            return Files.readString(logFile());
        }
        catch (IOException ex) {
            return "(no log: " + ex + ")";
        }
    }
}
