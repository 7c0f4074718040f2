package io.rapace.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import io.rapace.test.RapaceClient;
import io.rapace.test.RapacePluginExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A host's plain {@code java -jar target/sample-plugin-app.jar PATH}, after the build trained the fast launch beside
 * the jar: the plugin's process becomes the fast launch (the script's JVM with the AOT cache, on the extracted
 * jar) in the same process, and serves.
 */
class JarFastLaunchIT {

    static final Path JAR = Path.of("target/sample-plugin-app.jar").toAbsolutePath();

    /** This JVM's {@code java}, which launches the plugin. */
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @RegisterExtension
    static RapacePluginExtension plugin = RapacePluginExtension.command(JAVA, "-jar", JAR.toString());

    @RapaceClient
    private Calculator calculator;

    @Test
    void thePlainJavaJarBecomesTheFastLaunchInTheSameProcess() throws IOException {
        assertThat(this.calculator.add(40, 2)).isEqualTo(42);
        long pid = plugin.process().orElseThrow().pid();
        List<String> commandLine = commandLine(pid);
        assertThat(commandLine).as("the command line of process %d, launched as java -jar", pid)
            .anyMatch((argument) -> argument.startsWith("-XX:AOTCache=") && argument.endsWith("sample-plugin-app.aot"))
            .contains("-XX:+UseSerialGC")
            .contains(JAR.resolveSibling("fast-launch").resolve("sample-plugin-app.jar").toRealPath().toString());
        assertThat(Files.readString(plugin.logFile().orElseThrow()))
            .contains("Starting AOT-processed SamplePluginApplication")
            .doesNotContain("could not start the fast launch");
        // The first JVM's own descriptors (its module image, the fat jar) were not handed down to the second.
        assertThat(openFiles(pid)).doesNotContain(JAR.toRealPath());
    }

    static List<String> commandLine(long pid) throws IOException {
        String raw = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                StandardCharsets.UTF_8);
        return Arrays.asList(raw.split("\0"));
    }

    static List<Path> openFiles(long pid) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> descriptors = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path descriptor : descriptors.toList()) {
                try {
                    files.add(Files.readSymbolicLink(descriptor));
                }
                catch (IOException ex) {
                    // closed in the meantime
                }
            }
        }
        return files;
    }
}
