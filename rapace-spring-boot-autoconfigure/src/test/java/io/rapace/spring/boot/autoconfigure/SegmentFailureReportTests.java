package io.rapace.spring.boot.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Spring plugin process (a child JVM) started with a segment path it cannot open prints Spring Boot's
 * short failure report naming the file, not a stack trace, and exits non-zero.
 */
class SegmentFailureReportTests {

    @TempDir
    Path dir;

    @Test
    void missingSegmentPrintsAFailureAnalysisAndNoStackTrace() throws Exception {
        Path missing = this.dir.resolve("absent.shm");
        String output = run("--rapace.shm.path=" + missing, "--rapace.shm.wait-timeout=200ms");
        assertThat(output).contains("APPLICATION FAILED TO START", "Description:", "Action:")
            .contains(missing.toString())
            .contains("file does not exist after waiting")
            .contains("Start the plugin from its host")
            .doesNotContain("at io.rapace")
            .doesNotContain("\tat ");
    }

    @Test
    void foreignFilePrintsAFailureAnalysisAndNoStackTrace() throws Exception {
        Path foreign = this.dir.resolve("notes.txt");
        Files.writeString(foreign, "not a segment, and long enough to hold a whole rapace segment header.....");
        String output = run("--rapace.shm.path=" + foreign, "--rapace.shm.wait-timeout=200ms");
        assertThat(output).contains("Description:", "not a rapace segment", foreign.toString())
            .doesNotContain("at io.rapace");
    }

    private String run(String... arguments) throws IOException, InterruptedException {
        Path log = this.dir.resolve("plugin.log");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                BadSegmentPluginMain.class.getName()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the plugin exits").isTrue();
            String output = Files.readString(log);
            assertThat(process.exitValue()).as(output).isNotZero();
            return output;
        }
        finally {
            process.destroyForcibly();
        }
    }
}
