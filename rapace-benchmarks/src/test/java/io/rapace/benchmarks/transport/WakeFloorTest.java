package io.rapace.benchmarks.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The Java wake floor of the comparison, run as the comparison runs it: its own JVM, which starts the sleeping one,
 * prints every round and a RESULT line, and leaves no file and no process behind.
 */
class WakeFloorTest {

    @Test
    void twoJvmsReportEveryRoundAndTheMedianAndLeaveNothingBehind(@TempDir Path directory) throws Exception {
        Process process = wakeFloor("--rounds=3", "--gap-ms=20", "--warmup=200", "--label=floor", "--dir=" + directory)
            .redirectErrorStream(true).start();
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as("exit code; output:%n%s", output).isZero();
            assertThat(output).containsPattern("(?m)^RESULT name=floor p50_us=- p99_us=- p999_us=- calls_per_s=-"
                    + " idle_cpu_pct=- first_after_idle_us=[0-9.]+ startup_ms=- alloc_b_per_call=- gbps=-$")
                .containsPattern("gap 20 ms, 3 rounds \\(us\\): [0-9]+ [0-9]+ [0-9]+; median [0-9]+");
            try (Stream<Path> left = Files.list(directory)) {
                assertThat(left).as("the shared file is deleted").isEmpty();
            }
            // the sleeper's command line names the shared file, which lives in this test's own directory
            assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                    .filter(line -> line.contains("--serve=" + directory)).isPresent()))
                .as("the sleeping JVM has exited").isEmpty();
        }
        finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
    }

    @Test
    void theSleepingJvmExitsAndDeletesTheFileWhenItsStarterIsKilled(@TempDir Path directory) throws Exception {
        Process starter = wakeFloor("--rounds=5", "--gap-ms=5000", "--warmup=100", "--dir=" + directory)
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        ProcessHandle sleeper = null;
        try {
            sleeper = awaitSleeper(starter, directory, 100);
            starter.destroyForcibly().waitFor();  // SIGKILL: no finally runs in the starter
            assertThat(sleeper.onExit().get(10, TimeUnit.SECONDS).isAlive()).as("the sleeper exits").isFalse();
            try (Stream<Path> left = Files.list(directory)) {
                assertThat(left).as("the sleeper deleted the shared file").isEmpty();
            }
        }
        finally {
            if (sleeper != null) {
                sleeper.destroyForcibly();  // orphaned once its starter is killed: no longer a descendant
            }
            starter.descendants().forEach(ProcessHandle::destroyForcibly);
            starter.destroyForcibly().waitFor();
        }
    }

    /** The comparison's command for the Java wake floor, in a JVM of its own with this test's class path. */
    private static ProcessBuilder wakeFloor(String... arguments) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                WakeFloor.class.getName()));
        command.addAll(List.of(arguments));
        return new ProcessBuilder(command);
    }

    /**
     * The starter's sleeping JVM, once the warm-up of {@code warmup} calls is over and it sleeps in {@code FUTEX_WAIT}
     * (the shared file's "waiting" word is 1 and its answer word holds the last warm call).
     */
    private static ProcessHandle awaitSleeper(Process starter, Path directory, int warmup) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> asleepAfterWarmUp(directory, warmup)
                ? starter.descendants().filter(p -> p.info().commandLine()
                    .filter(line -> line.contains("--serve=")).isPresent()).findFirst()
                : Optional.<ProcessHandle>empty(), Optional::isPresent).orElseThrow();
    }

    private static boolean asleepAfterWarmUp(Path directory, int warmup) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                ByteBuffer words = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.nativeOrder());
                if (words.capacity() >= 16 && words.getInt(4) == 1 && words.getInt(12) == warmup) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void aYieldingCallerIsNamedInTheReport(@TempDir Path directory) throws Exception {
        Process process = wakeFloor("--rounds=3", "--gap-ms=20", "--warmup=200", "--wait=yield", "--label=floor-yield",
                "--dir=" + directory).redirectErrorStream(true).start();
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as("exit code; output:%n%s", output).isZero();
            assertThat(output).contains("wake floor (java, yield): gap 20 ms, 3 rounds (us): ")
                .containsPattern("(?m)^RESULT name=floor-yield .* first_after_idle_us=[0-9.]+ ");
        }
        finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
    }

    @Test
    void anUnknownWaitIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> WakeFloor.main(new String[] {"--wait=nap"}))
            .withMessageContaining("--wait must be spin or yield, got nap");
    }

    @Test
    void nonPositiveRoundsAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> WakeFloor.main(new String[] {"--rounds=0"}))
            .withMessageContaining("--rounds and --gap-ms must be positive");
    }
}
