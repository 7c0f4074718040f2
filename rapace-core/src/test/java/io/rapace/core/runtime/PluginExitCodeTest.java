package io.rapace.core.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.rapace.core.service.ClientOptions;
import io.rapace.core.session.Dispatcher;
import io.rapace.core.session.RpcSession;
import io.rapace.testsupport.logging.LogCapture;
import io.rapace.transport.shm.ShmConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The exit codes of a plain-Java plugin ({@code RapacePlugin.run} in {@link SleeperPluginMain}, a real child
 * JVM): 0 when the host closed the session (heartbeat stopped, segment file removed), 1 when the host died
 * (its process is gone), 143 on SIGTERM once its in-flight call has been answered.
 */
class PluginExitCodeTest {

    // Failures provoked on purpose are logged: captured, not printed.
    @RegisterExtension
    final LogCapture logs = LogCapture.of("io.rapace");

    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    void hostThatClosesTheSessionAndRemovesTheFileMeansExitZero() throws Exception {
        try (RapaceHost host = launch()) {
            host.session().close();
            Files.delete(host.path());
            assertThat(exitCode(host)).as(this::log).isZero();
        }
    }

    @Test
    void hostThatDiesMeansExitOne() throws Exception {
        // A host that dies is a host process that is gone: a host JVM of its own, killed with -9. (A host that
        // merely falls silent while its process lives is stalled, and waited for: PluginStallAndExitTest.)
        Path exitFile = this.dir.resolve("plugin.exit");
        List<String> command = new ArrayList<>(ChildJvm.command(HostWithPluginMain.class));
        command.add(exitFile.toString());
        Process hostJvm = new ProcessBuilder(command)
                .redirectError(Redirect.to(this.dir.resolve("plugin.log").toFile())).start();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(hostJvm.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).as("the plugin's pid, once it heartbeats").isNotBlank();
            hostJvm.destroyForcibly().waitFor();
            await().atMost(PATIENCE).until(() -> Files.exists(exitFile) && !Files.readString(exitFile).isBlank());
            assertThat(Files.readString(exitFile).strip()).as(this::log).isEqualTo("1");
            assertThat(log()).contains("exited");
        }
        finally {
            hostJvm.destroyForcibly().waitFor();
        }
    }

    @Test
    void aHostThatDiesBeforeItsFirstCallIsTheParentThePluginNotedBeforeItsOpen() throws Exception {
        // The plugin's parent is the host here (no wrapper): the plugin notes it from /proc before it opens the segment
        // and watches it only after its first answer or 2 s (HostProcessWatch.watchAfterStartUp). This host never
        // calls, and is gone by then: the plugin must still know it as its host and end, not wait for its peer-gone
        // timeout (30 s).
        Process hostJvm = new ProcessBuilder(ChildJvm.command(HostWithPluginMain.class))
                .redirectError(Redirect.to(this.dir.resolve("plugin.log").toFile())).start();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(hostJvm.getInputStream(), StandardCharsets.UTF_8))) {
            long pluginPid = Long.parseLong(out.readLine().strip());
            ProcessHandle plugin = ProcessHandle.of(pluginPid).orElseThrow();
            long hostPid = hostJvm.pid();
            hostJvm.destroyForcibly().waitFor();
            await().atMost(Duration.ofSeconds(20)).until(() -> !plugin.isAlive());
            assertThat(log()).contains("the host process " + hostPid + " exited");
        }
        finally {
            hostJvm.destroyForcibly().waitFor();
        }
    }

    @Test
    void hostWhoseProcessLivesButClosedItsSideAndLeftTheFileHasAbandonedThePlugin() throws Exception {
        try (RapaceHost host = launch()) {
            host.session().close(); // silent from now on and no longer mapping the segment; the file stays
            assertThat(exitCode(host)).as(this::log).isEqualTo(1);
            assertThat(log()).contains("no longer maps the segment");
        }
    }

    @Test
    void aPluginStartedBeforeItsSegmentExistsWatchesItsHostOnceTheSegmentIsOpen() throws Exception {
        // A host that launches its plugin before it makes the segment (the plugin's open waits for it, spec §8): the
        // plugin's first look for its host finds no file to match (it says so at DEBUG: awaited below before the
        // segment is made). It looks again once the segment is open: a host that then closes its side and leaves the
        // file is told apart by that watch within about a second, where a plugin without it would wait for its
        // peer-gone timeout (30 s).
        Path segment = this.dir.resolve("late.shm");
        Path logging = this.dir.resolve("logging.properties");
        Files.writeString(logging, """
                handlers=java.util.logging.ConsoleHandler
                java.util.logging.ConsoleHandler.level=FINE
                io.rapace.core.runtime.HostProcessWatch.level=FINE
                """);
        List<String> command = new ArrayList<>(ChildJvm.command(SleeperPluginMain.class, "-Drapace.test.liveness=PT1S",
                "-Djava.util.logging.config.file=" + logging));
        command.add(segment.toString());
        Process plugin = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(this.dir.resolve("plugin.log").toFile()).start();
        try {
            await().atMost(PATIENCE).until(() -> log().contains("is not an ancestor of this process"));
            try (RpcSession host = SegmentConnector.create(segment, ShmConfig.REFERENCE_DEFAULT,
                    ConnectionSettings.DEFAULTS, Dispatcher.none())) {
                // the watch's thread (named rapace-host-exit-PID once it watches; the kernel keeps 15 characters): the
                // host stays mapped until the plugin has looked again, which it does once it answered a first call or,
                // as here without calls, 2 s after the open (HostProcessWatch.watchAfterStartUp)
                await().atMost(Duration.ofSeconds(60)).until(() -> threadNames(plugin).contains("rapace-host-exi"));
            }
            assertThat(plugin.waitFor(20, TimeUnit.SECONDS)).as(this::log).isTrue();
            assertThat(plugin.exitValue()).as(this::log).isEqualTo(1);
            assertThat(log()).contains("no longer maps the segment");
        }
        finally {
            plugin.destroyForcibly().waitFor();
        }
    }

    /** The names of {@code process}'s threads as the kernel shows them (their first 15 characters). */
    private static List<String> threadNames(Process process) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(process.pid()), "task"))) {
            for (Path task : tasks) {
                try {
                    names.add(Files.readString(task.resolve("comm")).strip());
                }
                catch (NoSuchFileException ended) {
                    // the thread ended meanwhile
                }
            }
        }
        return names;
    }

    @Test
    void sigtermDrainsTheCallInFlightThenExits143() throws Exception {
        try (RapaceHost host = launch()) {
            Sleeper sleeper = host.client(Sleeper.class, ClientOptions.defaults().withTimeout(PATIENCE));
            CompletableFuture<String> call = CompletableFuture.supplyAsync(() -> sleeper.sleep(4000));
            await().atMost(PATIENCE).until(() -> log().contains("SLEEP STARTED"));
            host.process().toHandle().destroy();
            assertThat(call.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the reply reached the host")
                    .isEqualTo("slept 4000");
            assertThat(exitCode(host)).as(this::log).isEqualTo(143);
            assertThat(log()).contains("PLUGIN SHUTDOWN", "SLEEP FINISHED").doesNotContain("SLEEP INTERRUPTED");
        }
    }

    private RapaceHost launch() {
        Redirect output = Redirect.to(this.dir.resolve("plugin.log").toFile());
        RapaceHost host = RapaceHost.builder().path(this.dir.resolve("segment.shm"))
                .command(ChildJvm.command(SleeperPluginMain.class, "-Drapace.test.liveness=PT1S"))
                .redirectOutput(output).redirectError(Redirect.appendTo(this.dir.resolve("plugin.log").toFile()))
                .start();
        try {
            host.awaitPluginStarted(PATIENCE);
            return host;
        }
        catch (RuntimeException | Error ex) {
            host.close();
            throw ex;
        }
    }

    private static int exitCode(RapaceHost host) throws InterruptedException {
        assertThat(host.process().waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the plugin exits by itself")
                .isTrue();
        return host.process().exitValue();
    }

    private String log() {
        try {
            return Files.readString(this.dir.resolve("plugin.log"));
        }
        catch (java.io.IOException ex) {
            return "(no log: " + ex + ")";
        }
    }
}
