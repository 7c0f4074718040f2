package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the wake path's native calls are warmed up ({@link FutexWarmUp}), and the stores around a sleep
 * ({@link ConsumerSleep}): in a fresh JVM (it happens once per JVM), not at a transport's sleeps during start-up, but at
 * its first sleep after frames came; and the warm-up ends.
 */
class FutexWarmUpTest {

    @TempDir
    Path dir;

    @Test
    void theWarmUpStartsAtTheFirstSleepAfterFramesCameAndEnds() throws Exception {
        WakeFixture.requireFutex();
        Probe.run(dir.resolve("probe.log"), List.of(), FutexWarmUpProbe.class, dir.toString());
        try (var left = Files.list(dir)) {
            assertThat(left.map(path -> path.getFileName().toString())).containsExactly("probe.log");
        }
    }
}
