package io.rapace.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.rapace.core.runtime.RapaceHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar mode {@code rapace-fast-launch} on a copy of the packaged sample jar, as a user runs it on their own plugin:
 * {@code java -Djarmode=rapace-fast-launch -jar PLUGIN.jar} lays out and trains the fast launch beside the jar in
 * one step, and a plain {@code java -jar PLUGIN.jar} then hands over to it and serves.
 */
class FastLaunchJarModeIT {

    static final Path JAR = Path.of("target/sample-plugin-app.jar").toAbsolutePath();

    /** The launcher script the build made from the same template. */
    static final Path BUILD_SCRIPT = Path.of("target/sample-plugin-app").toAbsolutePath();

    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    Path directory;

    @Test
    void oneCommandMakesATrainedFastLaunchThatAPlainJavaJarHandsOverTo() throws Exception {
        Path jar = Files.copy(JAR, this.directory.resolve("sample-plugin-app.jar"));

        Run made = jarMode(jar);

        assertThat(made.exitCode()).as(made.output()).isZero();
        assertThat(made.output()).contains("is ready").doesNotContain("Enable-Native-Access");
        Path script = this.directory.resolve("sample-plugin-app");
        Path cache = this.directory.resolve("fast-launch/sample-plugin-app.aot");
        assertThat(Files.isExecutable(script)).isTrue();
        assertThat(this.directory.resolve("fast-launch/sample-plugin-app.jar")).isRegularFile();
        assertThat(this.directory.resolve("fast-launch/lib")).isDirectory();
        assertThat(cache).isRegularFile();
        assertThat(Files.getLastModifiedTime(cache)).isGreaterThan(Files.getLastModifiedTime(jar));
        assertThat(this.directory.resolve("fast-launch/sample-plugin-app-training.log")).isRegularFile();
        // The same script as the build fills from the template with Maven, but for its two comment lines.
        assertThat(withoutComments(script)).isEqualTo(withoutComments(BUILD_SCRIPT));

        try (RapaceHost host = RapaceHost.builder().command(JAVA, "-jar", jar.toString()).start()) {
            Calculator calculator = host.client(Calculator.class);
            assertThat(calculator.add(40, 2)).isEqualTo(42);
            assertThat(JarFastLaunchIT.commandLine(host.process().pid()))
                .as("the plugin's command line, launched as java -jar")
                .contains("-XX:AOTCache=" + cache.toRealPath());
        }
    }

    @Test
    void aPluginThatServesNoOperationsIsTrainedOnItsStartAlone() throws Exception {
        Path jar = Files.copy(JAR, this.directory.resolve("sample-plugin-app.jar"));

        // The arguments go to the training launch; a spring.* one keeps Spring AOT's build-time conditions out of it
        // (SpringAotMode), so that rapace.operations.enabled=false is read as it would be at run time.
        Run made = jarMode(jar, "--spring.main.banner-mode=off", "--rapace.operations.enabled=false");

        assertThat(made.exitCode()).as(made.output()).isZero();
        assertThat(made.output()).contains("serves no RapaceOperations").contains("is ready");
        assertThat(this.directory.resolve("fast-launch/sample-plugin-app.aot")).isRegularFile();
        assertThat(this.directory.resolve("fast-launch/sample-plugin-app-training.log")).content()
            .contains("Started SamplePluginApplication");
    }

    @Test
    void aJarNameTheScriptCannotHoldIsTurnedDownBeforeAnythingIsWritten() throws Exception {
        Path jar = Files.copy(JAR, this.directory.resolve("my plugin.jar"), StandardCopyOption.COPY_ATTRIBUTES);

        Run refused = jarMode(jar);

        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).contains("rename the jar").contains("'my plugin.jar'");
        try (var left = Files.list(this.directory)) {
            assertThat(left.toList()).containsExactly(jar);
        }
    }

    @Test
    void helpSaysHowToUseItAndMakesNothing() throws Exception {
        Path jar = Files.copy(JAR, this.directory.resolve("sample-plugin-app.jar"));

        Run help = jarMode(jar, "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.output()).contains("Usage: java -Djarmode=rapace-fast-launch -jar PLUGIN.jar")
            .contains("RapaceFastLaunch.useIfTrained");
        try (var left = Files.list(this.directory)) {
            assertThat(left.toList()).containsExactly(jar);
        }
    }

    private Run jarMode(Path jar, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(JAVA, "-Djarmode=rapace-fast-launch", "-jar", jar.toString()));
        command.addAll(List.of(arguments));
        Path output = Files.createTempFile("rapace-jar-mode", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError(command + " did not end within 10 minutes: " + Files.readString(output));
            }
            return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        }
        finally {
            Files.deleteIfExists(output);
        }
    }

    private static List<String> withoutComments(Path script) throws IOException {
        return Files.readAllLines(script).stream().filter((line) -> !line.startsWith("# ")).toList();
    }

    /** How a run of the jar mode ended, and what it printed. */
    private record Run(int exitCode, String output) {
    }
}
