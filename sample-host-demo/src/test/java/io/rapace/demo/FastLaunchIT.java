package io.rapace.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.core.runtime.RapaceHost;
import io.rapace.demo.PluginHarness.PathStyle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The fast launch: {@code sample-plugin-app/target/sample-plugin-app} (the extracted jar, Spring AOT and the JDK's
 * AOT cache, docs/startup.md) launched as a real process by a real host, as a host would launch the jar.
 */
class FastLaunchIT {

    @Test
    void aRapaceHostWithDefaultSettingsLaunchesTheScriptAndCallsIt() throws Exception {
        Path segment;
        Process process;
        try (RapaceHost host = RapaceHost.builder().command(PluginHarness.fastLaunchScript().toString()).start()) {
            segment = host.path();
            process = host.process();
            Calculator calculator = host.client(Calculator.class);
            assertThat(calculator.add(2, 3)).isEqualTo(5);
            assertThat(calculator.range(5).collectList().block(PluginHarness.PATIENCE)).containsExactly(0, 1, 2, 3, 4);
            assertThatExceptionOfType(RapaceException.class).isThrownBy(() -> calculator.add(Integer.MAX_VALUE, 1))
                .satisfies((ex) -> assertThat(ex.errorCode()).isEqualTo(ErrorCode.OUT_OF_RANGE));
            byte[] abc = "abc".getBytes(StandardCharsets.UTF_8);
            assertThat(host.client(Hasher.class).sha256(abc))
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(abc));
        }
        assertThat(process.isAlive()).isFalse();
        assertThat(segment).doesNotExist();
    }

    @Test
    void servesUnaryAndStreamCallsAndHealthThenExitsZeroWhenTheHostCloses(@TempDir Path directory) throws Exception {
        try (PluginHarness plugin = PluginHarness.launch(directory, List.of(PluginHarness.fastLaunchScript().toString()),
                PathStyle.SHM_PATH_OPTION, "--rapace.liveness-timeout=1s")) {
            Calculator calculator = plugin.client(Calculator.class);
            assertThat(calculator.add(20, 22)).as(plugin::log).isEqualTo(42);
            assertThat(calculator.range(1000).count().block(PluginHarness.PATIENCE)).isEqualTo(1000);
            // The actuator over JMX works in the Spring AOT context too.
            plugin.awaitRapaceUp();
            plugin.stopHeartbeating();
            Files.delete(plugin.segment());
            assertThat(plugin.awaitExit()).as(plugin::log).isZero();
            assertThat(plugin.log()).contains("Starting AOT-processed SamplePluginApplication")
                .doesNotContain("WARNING")
                .doesNotContain("[aot]");
        }
        assertThat(directory).isEmptyDirectory();
    }

    @Test
    void exitsOneWhenTheHostDies(@TempDir Path directory) throws Exception {
        try (PluginHarness plugin = PluginHarness.launch(directory, List.of(PluginHarness.fastLaunchScript().toString()),
                PathStyle.POSITIONAL, "--rapace.liveness-timeout=1s")) {
            assertThat(plugin.client(Calculator.class).add(1, 2)).as(plugin::log).isEqualTo(3);
            plugin.stopHeartbeating();
            assertThat(plugin.awaitExit()).as(plugin::log).isEqualTo(1);
        }
    }

    @Test
    void startsWithoutTheAotCache(@TempDir Path directory) throws Exception {
        Path copy = copyLauncher(directory.resolve("no-cache"), false);
        try (PluginHarness plugin = PluginHarness.launch(Files.createDirectories(directory.resolve("host")),
                List.of(copy.toString()), PathStyle.SPRING_PROPERTY, "--rapace.liveness-timeout=1s")) {
            assertThat(plugin.client(Calculator.class).add(40, 2)).as(plugin::log).isEqualTo(42);
            plugin.stopHeartbeating();
            Files.delete(plugin.segment());
            assertThat(plugin.awaitExit()).as(plugin::log).isZero();
        }
    }

    @Test
    void ignoresAStaleCacheSilentlyAndWorksThroughASymlink(@TempDir Path directory) throws Exception {
        // Copied without their timestamps, the jars no longer match the cache: the JVM must start without it.
        Path copy = copyLauncher(directory.resolve("stale-cache"), true);
        Path link = Files.createSymbolicLink(Files.createDirectories(directory.resolve("bin")).resolve("plugin"), copy);
        try (PluginHarness plugin = PluginHarness.launch(Files.createDirectories(directory.resolve("host")),
                List.of(link.toString()), PathStyle.POSITIONAL, "--rapace.liveness-timeout=1s")) {
            assertThat(plugin.client(Calculator.class).add(40, 2)).as(plugin::log).isEqualTo(42);
            plugin.stopHeartbeating();
            Files.delete(plugin.segment());
            assertThat(plugin.awaitExit()).as(plugin::log).isZero();
            assertThat(plugin.log()).doesNotContain("[aot]").doesNotContain("AOT cache");
        }
    }

    @Test
    void withoutAPathServesNothingAndSaysSo(@TempDir Path directory) throws Exception {
        Path log = directory.resolve("plugin.log");
        Process process = new ProcessBuilder(PluginHarness.fastLaunchScript().toString()).directory(directory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
        assertThat(process.waitFor(PluginHarness.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(() -> readQuietly(log)).isZero();
        assertThat(readQuietly(log)).contains("rapace: no shared-memory segment path configured");
    }

    /** Copies the script and its fast-launch directory, with or without the AOT cache (never with timestamps). */
    private static Path copyLauncher(Path target, boolean withCache) throws IOException {
        Path script = PluginHarness.fastLaunchScript();
        Path source = script.resolveSibling("fast-launch");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path to = target.resolve("fast-launch").resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to);
                }
                else if (withCache || !file.getFileName().toString().endsWith(".aot")) {
                    Files.copy(file, to);
                }
            }
        }
        Path copy = target.resolve(script.getFileName().toString());
        Files.copy(script, copy, StandardCopyOption.COPY_ATTRIBUTES);
        assertThat(Files.exists(target.resolve("fast-launch").resolve("sample-plugin-app.aot"))).isEqualTo(withCache);
        return copy;
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        }
        catch (IOException ex) {
            return "(no log: " + ex.getMessage() + ")";
        }
    }
}
