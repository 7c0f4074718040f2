package io.rapace.spring.boot.host;

import java.io.BufferedReader;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rapace.testsupport.DefaultSigint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ctrl-C in a terminal: SIGINT to the whole foreground process group. The host application
 * ({@link InterruptedHostMain}) runs in a session of its own ({@code setsid}), as a terminal's foreground job would,
 * and the test sends SIGINT to that group ({@code kill -INT -PGID}). The plugin, in a process group of its own, is
 * not reached: it serves the application's drain, then is stopped in order; nothing is restarted, nothing is left,
 * nothing is logged above INFO. Without a group of its own the plugin dies with the application's SIGINT: still no
 * restart, no orphan, no file.
 */
@EnabledOnOs(OS.LINUX)
class InterruptedHostTest {

    private static final Pattern READY = Pattern.compile("host ready: pid=(\\d+) segment=(\\S+)");

    private static final long PATIENCE_SECONDS = 90;

    @TempDir
    Path dir;

    private Process host;

    @AfterEach
    void killWhatIsLeft() {
        if (this.host != null) {
            this.host.descendants().forEach(ProcessHandle::destroyForcibly);
            this.host.destroyForcibly();
        }
    }

    @Test
    void ctrlCStopsThePluginAfterTheDrainWithoutRestartOrphanFileOrWarning() throws Exception {
        Interrupted run = interrupt();
        assertThat(run.output()).contains("drain: plugin answered 7");
        assertThat(run.output()).doesNotContain("restarting in").doesNotContain("could not be launched")
            .doesNotContain("exited with code 130");
        assertThat(warnings(run.output())).isEmpty();
        assertThat(run.exitCode()).isEqualTo(130);
        assertThat(ProcessHandle.of(run.pluginPid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(run.segment()).doesNotExist();
    }

    @Test
    void withoutAGroupOfItsOwnThePluginDiesWithTheCtrlCButIsNotRestartedAndLeavesNothing() throws Exception {
        Interrupted run = interrupt("--rapace.plugins.adder.own-process-group=false");
        assertThat(run.output()).contains("drain: plugin call failed");
        assertThat(run.output()).doesNotContain("restarting in").doesNotContain("could not be launched")
            .doesNotContain("incarnation 2");
        assertThat(run.exitCode()).isEqualTo(130);
        assertThat(ProcessHandle.of(run.pluginPid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(run.segment()).doesNotExist();
    }

    @Test
    void ctrlCStopsThePluginInOrderEvenWhenVirtualThreadsHaveASingleCarrierThatCannotGrow() throws Exception {
        // A plugin's output is read by threads that block in the kernel; as virtual threads they held the
        // scheduler's carriers, and its stop (on virtual threads too) waited for one forever.
        Interrupted run = interrupt(List.of("-Djdk.virtualThreadScheduler.parallelism=1",
                "-Djdk.virtualThreadScheduler.maxPoolSize=1"));
        assertThat(run.output()).contains("drain: plugin answered 7");
        assertThat(warnings(run.output())).isEmpty();
        assertThat(run.exitCode()).isEqualTo(130);
        assertThat(ProcessHandle.of(run.pluginPid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(run.segment()).doesNotExist();
    }

    /**
     * What one run showed.
     *
     * @param output the host's output (its log and the plugin's, forwarded)
     * @param exitCode the host's exit code
     * @param pluginPid the plugin's process
     * @param segment its segment file
     */
    private record Interrupted(String output, int exitCode, long pluginPid, Path segment) {
    }

    /** Runs the host in a session of its own, waits until its plugin runs, sends SIGINT to its process group. */
    private Interrupted interrupt(String... more) throws IOException, InterruptedException {
        return interrupt(List.of(), more);
    }

    /** {@link #interrupt(String...)} with {@code jvmOptions} for the host's JVM. */
    private Interrupted interrupt(List<String> jvmOptions, String... more) throws IOException, InterruptedException {
        Path setsid = Path.of("/usr/bin/setsid");
        Assumptions.assumeTrue(Files.isExecutable(setsid), "setsid (util-linux) is needed to make a process group");
        List<String> command = new ArrayList<>(List.of(setsid.toString()));
        command.addAll(DefaultSigint.prefix());  // a runner in the background passes SIGINT on ignored
        command.addAll(TestPluginMain.command().subList(0, TestPluginMain.command().size() - 1));
        command.addAll(jvmOptions);
        command.add(InterruptedHostMain.class.getName());
        command.addAll(List.of("--rapace.plugins.adder.main-class=" + TestPluginMain.class.getName(),
                "--rapace.plugins.adder.jvm-args=-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto",
                "--rapace.plugins.adder.clients=" + Adder.class.getName(),
                "--rapace.plugins.adder.backoff.initial=50ms", "--rapace.plugins.adder.stop-timeout=10s"));
        command.addAll(List.of(more));
        Path log = this.dir.resolve("host.log");
        this.host = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(Redirect.to(log.toFile()))
            .start();
        Matcher ready = awaitReady(log);
        long pluginPid = Long.parseLong(ready.group(1));
        Path segment = Path.of(ready.group(2));
        assertThat(segment).exists();
        // setsid replaced itself with the JVM: its pid leads the process group (and session)
        Process kill = new ProcessBuilder("kill", "-INT", "--", "-" + this.host.pid()).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
        assertThat(this.host.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS)).as("the host exits after Ctrl-C").isTrue();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println("---- host output after SIGINT to its process group ----");
        System.out.println(output.substring(Math.max(0, output.indexOf("host ready"))));
        return new Interrupted(output, this.host.exitValue(), pluginPid, segment);
    }

    private Matcher awaitReady(Path log) {
        return await().atMost(Duration.ofSeconds(PATIENCE_SECONDS)).pollInterval(Duration.ofMillis(100))
            .alias("the host gets ready").until(() -> {
                String output = Files.exists(log) ? Files.readString(log) : "";
                Matcher matcher = READY.matcher(output);
                if (matcher.find()) {
                    return matcher;
                }
                assertThat(this.host.isAlive()).as("the host runs: %s", output).isTrue();
                return null;
            }, Objects::nonNull);
    }

    /** The lines logged at WARN or ERROR (Spring Boot's console pattern), or as a JUL WARNING/SEVERE. */
    private static List<String> warnings(String output) throws IOException {
        try (BufferedReader lines = new BufferedReader(new java.io.StringReader(output))) {
            return lines.lines().filter((line) -> line.matches(".*\\s(WARN|ERROR|WARNING|SEVERE)\\s.*")).toList();
        }
    }
}
