package io.rapace.spring.boot.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Execve} for real: a child JVM that replaces itself with a shell, and an exec that cannot succeed. */
class ExecveTests {

    @TempDir
    Path directory;

    @Test
    void theProgramReplacesTheJvmInTheSameProcessWithItsArgumentsAndEnvironment() throws Exception {
        Path marked = Files.writeString(this.directory.resolve("marked.txt"), "m");
        Path kept = Files.writeString(this.directory.resolve("kept.txt"), "k");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                ExecveProbe.class.getName(), marked.toString(), kept.toString())
            .redirectErrorStream(true)
            .start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the probe finishes").isTrue();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).contains("java " + child.pid() + "\n", "shell " + child.pid() + " with spaces passed\n")
            .doesNotContain("exec failed");
        // The descriptor marked close-on-exec is gone in the shell; the other one the JVM opened is still there.
        assertThat(output).contains(kept.toRealPath().toString()).doesNotContain(marked.toRealPath().toString());
    }

    @Test
    void aProgramThatCannotRunReturnsItsErrnoAndTheJvmGoesOn() throws IOException {
        Path notExecutable = Files.writeString(this.directory.resolve("not-executable"), "#!/bin/sh\n");
        assertThat(Execve.exec(this.directory.resolve("missing").toString(), List.of("missing"), Map.of()))
            .as("ENOENT").isEqualTo(2);
        assertThat(Execve.exec(notExecutable.toString(), List.of("not-executable"), Map.of())).as("EACCES")
            .isEqualTo(13);
    }
}
