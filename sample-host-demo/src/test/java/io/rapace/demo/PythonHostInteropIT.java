package io.rapace.demo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Byte compatibility checked by a second, independent implementation: {@code interop/python-host/rapace_host.py}
 * is a rapace host written from the wire contract alone (Python standard library, no code shared with the
 * Java layout). It creates the segment, launches the packaged sample plugin jar with this JVM's java binary,
 * calls it, and exits 0 only when every check passed (see {@code docs/interop.md}).
 *
 * <p>Skipped, not failed, when the machine has no {@code python3} on its {@code PATH}.
 */
class PythonHostInteropIT {

    /** The plugin default geometry and the Rust hosts' default: the plugin must follow the segment's. */
    private static final List<String> GEOMETRIES = List.of("256/65536/128", "256/4096/64");

    private static final long TIMEOUT_SECONDS = 55;

    @Test
    void pythonHostWrittenFromTheSpecCallsThePlugin(@TempDir Path directory) throws Exception {
        Optional<Path> python = Executables.onPath("python3");
        assumeTrue(python.isPresent(), "no python3 on the PATH: the Python interop host cannot run");
        Path script = Path.of(System.getProperty("rapace.python.host.script",
                "../interop/python-host/rapace_host.py"));
        assertThat(script).as("the Python interop host script").isRegularFile();

        List<String> command = Stream.concat(
                Stream.of(python.get().toString(), script.toString(), "--java", Executables.javaBinary(), "--jar",
                        PluginHarness.pluginJar()),
                GEOMETRIES.stream().flatMap((geometry) -> Stream.of("--geometry", geometry)))
            .toList();
        Path output = directory.resolve("python-host.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
            .start();
        try {
            boolean exited = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String log = Files.readString(output, StandardCharsets.UTF_8);
            System.out.print(log);
            assertThat(exited).as("the Python host finished within %d s; %s", TIMEOUT_SECONDS, failureReport(log))
                .isTrue();
            assertThat(process.exitValue()).as("exit code of the Python host; %s", failureReport(log)).isZero();
            assertThat(log).contains("OK: 0 failed check(s)").doesNotContain("FAIL ");
        }
        finally {
            stop(process);
        }
    }

    /**
     * The failed checks and the plugin's last log lines first (a CI summary keeps the head of a long message), then
     * the whole output.
     */
    private static String failureReport(String log) {
        String failed = log.lines().filter((line) -> line.startsWith("FAIL ")).collect(Collectors.joining("\n"));
        int pluginLog = log.indexOf("---- plugin log");
        String tail = pluginLog < 0 ? "(no plugin log in the output)"
                : log.substring(pluginLog).lines().limit(42).collect(Collectors.joining("\n"));
        return "failed checks:%n%s%n%s%n---- the Python host's whole output ----%n%s".formatted(failed, tail, log);
    }

    /** Kills the Python host and the plugin it launched if either still runs: no orphan survives a timeout. */
    private static void stop(Process process) throws Exception {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        for (ProcessHandle child : descendants) {
            child.destroyForcibly();
            child.onExit().get(10, TimeUnit.SECONDS);
        }
    }


}
