package io.rapace.transport.shm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a probe (a test's child JVM) tells its test: {@code PROBE OK}, or {@code PROBE FAILED} with the reason and
 * exit code 1. The tests read the probe's output.
 */
final class Probe {

    private Probe() {
    }

    /** Fails the probe with {@code failure} unless {@code condition} holds. */
    static void check(boolean condition, String failure) {
        if (!condition) {
            System.out.println("PROBE FAILED: " + failure);
            System.exit(1);
        }
    }

    /** Reports that every check passed. */
    static void passed() {
        System.out.println("PROBE OK");
    }

    /**
     * The test's side: runs {@code main} with {@code args} in a child JVM of the test's class path (64 MiB of heap, native
     * access granted, then {@code jvmOptions}), its output to {@code output}; checks that it ended within 90 s, printed
     * {@code PROBE OK} and no failure, and exited 0; returns what it printed.
     */
    static String run(Path output, List<String> jvmOptions, Class<?> main, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-Xmx64m", "--enable-native-access=ALL-UNNAMED"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Process probe = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            assertThat(probe.waitFor(90, TimeUnit.SECONDS)).as("the probe ended").isTrue();
            String printed = Files.readString(output);
            assertThat(printed).contains("PROBE OK").doesNotContain("PROBE FAILED");
            assertThat(probe.exitValue()).as(printed).isZero();
            return printed;
        }
        finally {
            probe.destroyForcibly();
        }
    }
}
