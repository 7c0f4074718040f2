package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the wake path's native calls are warmed up ({@link FutexWarmUp}): in a fresh JVM (it happens once per JVM), not
 * at a transport's sleeps during start-up, but at its first sleep after frames came; and the warm-up ends.
 */
class FutexWarmUpTest {

    @TempDir
    Path dir;

    @Test
    void theWarmUpStartsAtTheFirstSleepAfterFramesCameAndEnds() throws Exception {
        WakeFixture.requireFutex();
        Path log = dir.resolve("probe.log");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process probe = new ProcessBuilder(List.of(java, "-Xmx64m", "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), FutexWarmUpProbe.class.getName(), dir.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertThat(probe.waitFor(90, TimeUnit.SECONDS)).as("the probe ended").isTrue();
            assertThat(Files.readString(log)).contains("PROBE OK").doesNotContain("PROBE FAILED");
            assertThat(probe.exitValue()).isZero();
            try (var left = Files.list(dir)) {
                assertThat(left.map(path -> path.getFileName().toString())).containsExactly("probe.log");
            }
        }
        finally {
            probe.destroyForcibly();
        }
    }
}
