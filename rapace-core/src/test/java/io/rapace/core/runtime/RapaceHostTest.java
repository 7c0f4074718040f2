package io.rapace.core.runtime;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.rapace.core.runtime.RapaceRuntimeException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/** The host's life cycle with a stand-in plugin: a shell that reports what it saw, then sleeps. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RapaceHostTest {

    /** Prints the first six bytes of the segment (its last argument), then sleeps until stopped. */
    private static final List<String> MAGIC_PRINTER = List.of("sh", "-c", "head -c 6 \"$1\"; echo; exec sleep 60",
            "plugin");

    @TempDir
    Path dir;

    @Test
    void theSegmentIsInitialisedBeforeThePluginStartsAndKeptOnRequest() throws Exception {
        Path segment = this.dir.resolve("kept.shm");
        Path output = this.dir.resolve("plugin.out");
        Process process;
        try (RapaceHost host = RapaceHost.builder().path(segment).keepFile(true).command(MAGIC_PRINTER)
                .redirectOutput(Redirect.to(output.toFile())).start()) {
            process = host.process();
            assertThat(host.path()).isEqualTo(segment);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> Files.exists(output) && Files.readString(output).contains("\n"));
            assertThat(Files.readString(output, StandardCharsets.US_ASCII)).isEqualTo("RAPACE\n");
        }
        assertThat(process.isAlive()).isFalse();
        assertThat(segment).exists();
    }

    @Test
    void aTemporarySegmentIsDeletedOnCloseAndCloseIsIdempotent() {
        RapaceHost host = RapaceHost.builder().command(MAGIC_PRINTER).redirectOutput(Redirect.DISCARD).start();
        Path segment = host.path();
        assertThat(segment).exists();
        assertThat(segment.getFileName().toString()).startsWith("rapace-").endsWith(".shm");
        host.close();
        host.close();
        assertThat(segment).doesNotExist();
        assertThat(host.process().isAlive()).isFalse();
    }

    @Test
    void thePathArgumentCanCarryAPrefix() throws Exception {
        Path output = this.dir.resolve("argument.out");
        try (RapaceHost host = RapaceHost.builder().pathArgumentPrefix("--shm-path=")
                .command("sh", "-c", "echo \"$1\"; exec sleep 60", "plugin")
                .redirectOutput(Redirect.to(output.toFile())).start()) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> Files.exists(output) && Files.readString(output).contains("\n"));
            assertThat(Files.readString(output)).isEqualTo("--shm-path=" + host.path() + "\n");
        }
    }

    @Test
    void aLaunchWhileTheJvmShutsDownIsRefusedBeforeAnyProcessOrFileExists() throws Exception {
        Path segment = this.dir.resolve("late.shm");
        Path ran = this.dir.resolve("plugin-ran");
        List<String> command = new java.util.ArrayList<>(ChildJvm.command(LateLaunchHostMain.class));
        command.addAll(List.of(segment.toString(), ran.toString()));
        Path log = this.dir.resolve("host.out");
        Process hostJvm = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(hostJvm.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(log);
        assertThat(output).contains("refused: ").contains("the JVM is shutting down").doesNotContain("launched: ");
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(30)).alias("the plugin never ran")
            .until(() -> !Files.exists(ran));
        assertThat(segment).as("no segment file was left").doesNotExist();
    }

    @Test
    void aHostJvmThatExitsWithoutClosingKillsItsPluginAndDeletesTheFile() throws Exception {
        Process hostJvm = new ProcessBuilder(ChildJvm.command(AbandoningHostMain.class))
                .redirectError(Redirect.INHERIT).start();
        long pluginPid = -1;
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(hostJvm.getInputStream(), StandardCharsets.UTF_8))) {
            pluginPid = Long.parseLong(out.readLine());
            Path segment = Path.of(out.readLine());
            assertThat(hostJvm.waitFor(60, TimeUnit.SECONDS)).isTrue();
            long pid = pluginPid;
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE);
            assertThat(segment).doesNotExist();
        }
        finally {
            hostJvm.destroyForcibly();
            if (pluginPid > 0) {
                ProcessHandle.of(pluginPid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void aCommandThatCannotStartIsLaunchFailedAndLeavesNoFile() {
        Path segment = this.dir.resolve("never-used.shm");
        RapaceRuntimeException ex = catchThrowableOfType(RapaceRuntimeException.class, () -> RapaceHost.builder()
                .path(segment).command(this.dir.resolve("no-such-program").toString()).start());
        assertThat(ex.kind()).isEqualTo(Kind.LAUNCH_FAILED);
        assertThat(ex.getMessage()).contains("no-such-program");
        assertThat(segment).doesNotExist();
    }

    @Test
    void aCommandIsRequired() {
        assertThatThrownBy(() -> RapaceHost.builder().start()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("command");
    }

    @Test
    void anUnservableHostServiceIsAnRpcFailure() {
        RapaceRuntimeException ex = catchThrowableOfType(RapaceRuntimeException.class,
                () -> RapaceHost.builder().command(MAGIC_PRINTER).services(new Object()).start());
        assertThat(ex.kind()).isEqualTo(Kind.RPC);
    }

    @Test
    void anUnwritableSegmentPathIsOpenFailed() {
        Path segment = this.dir.resolve("missing-dir").resolve("x.shm");
        RapaceRuntimeException ex = catchThrowableOfType(RapaceRuntimeException.class,
                () -> RapaceHost.builder().path(segment).command(MAGIC_PRINTER).start());
        assertThat(ex.kind()).isEqualTo(Kind.OPEN_FAILED);
        assertThat(ex.getMessage()).contains(segment.toString());
    }
}
