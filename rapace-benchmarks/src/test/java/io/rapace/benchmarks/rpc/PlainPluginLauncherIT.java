package io.rapace.benchmarks.rpc;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.rapace.core.runtime.RapaceHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plain-Java plugin's fast launch {@code target/plain-plugin} (docs/startup.md), launched as a real process
 * by a {@link RapaceHost} with its default settings: it answers, its classes come from the AOT cache the build
 * trained, and a missing cache or one older than the jar only makes it start without one, silently.
 */
class PlainPluginLauncherIT {

    private static final Path TARGET = Path.of("target").toAbsolutePath();

    private static final Path SCRIPT = TARGET.resolve("plain-plugin");

    /** Logs every class the plugin's JVM loads, with where it came from. */
    private static final Map<String, String> CLASS_LOAD_LOG = Map.of("JDK_JAVA_OPTIONS", "-Xlog:class+load=info");

    @Test
    void answersWithItsClassesFromTheTrainedCache(@TempDir Path directory) throws Exception {
        assertThat(TARGET.resolve("plain-plugin.aot")).isRegularFile();
        String log = callOnce(SCRIPT, directory.resolve("plugin.log"), CLASS_LOAD_LOG);
        assertThat(log).contains("io.rapace.core.runtime.RapacePlugin source: shared objects file")
            .contains("io.rapace.benchmarks.rpc.CalculatorPluginMain source: shared objects file");
    }

    @Test
    void startsWithoutTheCacheWhenItIsMissing(@TempDir Path directory) throws Exception {
        Path copy = copyLauncher(directory, false);
        String log = callOnce(copy, directory.resolve("plugin.log"), CLASS_LOAD_LOG);
        assertThat(log).contains("io.rapace.core.runtime.RapacePlugin source: file:").doesNotContain("[aot]");
    }

    @Test
    void ignoresACacheOlderThanTheJarSilently(@TempDir Path directory) throws Exception {
        // A jar newer than the cache (rebuilt since the training): the JDK would use the cache all the same and run
        // the classes it holds; the script must start without it, and quietly.
        Path copy = copyLauncher(directory, true);
        String log = callOnce(copy, directory.resolve("plugin.log"), CLASS_LOAD_LOG);
        assertThat(log).contains("io.rapace.core.runtime.RapacePlugin source: file:")
            .doesNotContain("[aot]").doesNotContain("[cds]").doesNotContain("AOT cache")
            .doesNotContain("WARNING");
    }

    @Test
    void startsAsAPlainJavaJarWithTheJarsBesideIt(@TempDir Path directory) throws Exception {
        // What a user runs: java -jar on the plugin's own jar, whose manifest names the rapace jars beside it and
        // allows native access (no warning about the segment's futex calls).
        Path jar = PlainPluginLib.pluginJar(TARGET.resolve(PlainPluginLib.DIRECTORY));
        String java = ProcessHandle.current().info().command().orElseThrow();
        String log = callOnce(List.of(java, "-jar", jar.toString()), directory.resolve("plugin.log"), CLASS_LOAD_LOG);
        assertThat(log)
            .contains("io.rapace.core.runtime.RapacePlugin source: file:" + TARGET.resolve("plain-plugin-lib/rapace-core.jar"))
            .contains("io.rapace.benchmarks.rpc.CalculatorPluginMain source: file:" + jar)
            .doesNotContain("[aot]").doesNotContain("WARNING");
    }

    /** Launches {@code script} under a host, checks one {@code Calculator.add}, closes; returns the output. */
    private static String callOnce(Path script, Path log, Map<String, String> environment) throws IOException {
        return callOnce(List.of(script.toString()), log, environment);
    }

    /** Launches {@code command} under a host, checks one {@code Calculator.add}, closes; returns the output. */
    private static String callOnce(List<String> command, Path log, Map<String, String> environment)
            throws IOException {
        try (RapaceHost host = RapaceHost.builder()
            .command(command)
            .environment(environment)
            .redirectOutput(Redirect.appendTo(log.toFile()))
            .redirectError(Redirect.appendTo(log.toFile()))
            .start()) {
            assertThat(host.client(Calculator.class).add(2, 40)).as(() -> read(log)).isEqualTo(42);
        }
        return read(log);
    }

    /**
     * The script and the plugin's jars ({@code plain-plugin-lib/}) in {@code directory}, with the cache copied
     * before the jars (so one of them, the plugin's own, is then made newer) or without.
     */
    private static Path copyLauncher(Path directory, boolean withCache) throws IOException {
        Path copy = directory.resolve("plain-plugin");
        Files.copy(SCRIPT, copy, StandardCopyOption.COPY_ATTRIBUTES);
        Path lib = Files.createDirectory(directory.resolve(PlainPluginLib.DIRECTORY));
        try (Stream<Path> jars = Files.list(TARGET.resolve(PlainPluginLib.DIRECTORY))) {
            for (Path jar : jars.toList()) {
                Files.copy(jar, lib.resolve(jar.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        if (withCache) {
            Path cache = Files.copy(TARGET.resolve("plain-plugin.aot"), directory.resolve("plain-plugin.aot"));
            Files.setLastModifiedTime(PlainPluginLib.pluginJar(lib),
                    FileTime.from(Files.getLastModifiedTime(cache).toInstant().plus(Duration.ofSeconds(2))));
        }
        return copy;
    }

    private static String read(Path log) {
        try {
            return Files.isRegularFile(log) ? Files.readString(log) : "(no output)";
        }
        catch (IOException ex) {
            return "(unreadable: " + ex.getMessage() + ")";
        }
    }
}
