package io.rapace.core.runtime;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;

/** The pidfd wait on a real second process: asleep while it runs, awake with {@code true} once it exited. */
@EnabledOnOs(OS.LINUX)
class PidfdExitWaitTest {

    @Test
    void seesARunningProcessAsRunningAndItsExitAsExit() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            Optional<PidfdExitWait> wait = PidfdExitWait.open(sleeper.pid());
            assertThat(wait).as("pidfd_open on Linux x86-64/aarch64 with native access").isPresent();
            try (PidfdExitWait exitWait = wait.get()) {
                assertThat(exitWait.awaitExit(20)).isFalse();
                sleeper.destroyForcibly();
                // Not reaped yet (a zombie until waitFor): the pidfd says exited all the same.
                assertThat(exitWait.awaitExit((int) TimeUnit.SECONDS.toMillis(30))).isTrue();
                assertThat(exitWait.awaitExit(0)).isTrue();
            }
        }
        finally {
            sleeper.destroyForcibly();
            sleeper.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aProcessThatDoesNotExistGivesNoWait() {
        assertThat(PidfdExitWait.open(Integer.MAX_VALUE - 7)).isEmpty();
        assertThat(PidfdExitWait.open(0)).isEmpty();
    }
}
