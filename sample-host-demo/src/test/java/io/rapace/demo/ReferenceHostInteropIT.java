package io.rapace.demo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Interop with the C reference peer of the benchmark comparison ({@code rapace-benchmarks/reference-peer}), a
 * rapace host written from the wire contract alone in C (no code shared with the Java layout): it creates the
 * segment, launches the packaged sample plugin jar ({@code java -jar JAR PATH}) and makes a short run:
 * the first {@code Calculator.add} (checked answer), a few hundred more, {@code Calculator.range} (a server
 * stream, every item checked) and {@code Hasher.sha256} of 60 KiB through a slot (digest checked against the
 * C peer's own SHA-256). Then it stops heartbeating and the plugin must exit by itself (spec §3).
 *
 * <p>Skipped, not failed, when the machine has no {@code gcc} on its {@code PATH}.
 */
class ReferenceHostInteropIT {

    private static final long TIMEOUT_SECONDS = 90;

    @Test
    void referenceHostWrittenInCCallsThePluginJar(@TempDir Path directory) throws Exception {
        Optional<Path> gcc = Executables.onPath("gcc");
        assumeTrue(gcc.isPresent(), "no gcc on the PATH: the C reference host cannot be built");
        Path source = Path.of(System.getProperty("rapace.refpeer.source",
                "../rapace-benchmarks/reference-peer/refpeer.c"));
        assertThat(source).as("the reference peer source").isRegularFile();
        Path refpeer = directory.resolve("refpeer");
        Process cc = new ProcessBuilder(gcc.get().toString(), "-std=c11", "-O2", "-pthread", "-o",
                refpeer.toString(), source.toString()).redirectErrorStream(true).start();
        String ccOut = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(cc.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(cc.exitValue()).as("gcc output:%n%s", ccOut).isZero();

        String pluginCommand = Executables.javaBinary() + " -XX:TieredStopAtLevel=1 -jar " + PluginHarness.pluginJar();
        Path output = directory.resolve("refpeer-host.log");
        Process host = new ProcessBuilder(refpeer.toString(), "host", "--label", "interop", "--plugin-cmd",
                pluginCommand, "--calls", "500", "--warmup", "50", "--idle-seconds", "0", "--range", "100",
                "--bulk", "3", "--exit-wait", "10", "--startup-timeout", "60", "--shm-dir", directory.toString())
            .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            boolean exited = host.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String log = Files.readString(output, StandardCharsets.UTF_8);
            // The reference host's own lines (its figures); the plugin's log, interleaved, is shown on failure.
            log.lines().filter((line) -> line.startsWith("refpeer ") || line.startsWith("RESULT "))
                .forEach(System.out::println);
            assertThat(exited).as("the reference host finished within %d s; its output so far:%n%s",
                    TIMEOUT_SECONDS, log).isTrue();
            assertThat(host.exitValue()).as("exit code of the reference host; its output:%n%s", log).isZero();
            assertThat(log).as("first call answered, then the run")
                .contains("refpeer host: start-up")
                .contains("RESULT name=interop ")
                .contains("RESULT name=interop/range ")
                .contains("RESULT name=interop/sha256-60KiB ")
                .contains("plugin exited by itself")
                .doesNotContain("invalid descriptor");
            try (Stream<Path> left = Files.list(directory)) {
                assertThat(left.map(p -> p.getFileName().toString())).as("segment deleted")
                    .noneMatch(n -> n.endsWith(".shm"));
            }
        }
        finally {
            List<ProcessHandle> descendants = host.descendants().toList();
            host.destroyForcibly().waitFor();
            for (ProcessHandle child : descendants) {
                child.destroyForcibly();
            }
            // the plugin runs in its own process group: find it by its command line if it outlived the host
            ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(directory.toString())).orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
        }
    }


}
