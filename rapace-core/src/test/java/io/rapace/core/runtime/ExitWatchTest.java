package io.rapace.core.runtime;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.rapace.testsupport.logging.LogCapture;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The watch on a host process never declares a running process exited: an exit signal that says so while
 * {@code /proc} shows the process running is not believed (the plugin would end the session of a host that still
 * serves it), and the watch still sees the real exit by polling.
 */
@EnabledOnOs(OS.LINUX)
class ExitWatchTest {

    @RegisterExtension
    final LogCapture logs = LogCapture.of("io.rapace");

    /** An exit signal that says "exited" at once, every time: a pidfd gone wrong. */
    private static final class LyingSignal implements ExitSignal {

        final AtomicInteger asked = new AtomicInteger();

        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public boolean awaitExit(int timeoutMillis) {
            this.asked.incrementAndGet();
            return true;
        }

        @Override
        public void close() {
            this.closed.set(true);
        }
    }

    @Test
    void aSignalThatCallsARunningProcessExitedIsNotBelievedAndTheRealExitIsStillSeen() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        AtomicReference<@Nullable String> ended = new AtomicReference<>();
        AtomicInteger looks = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        LyingSignal signal = new LyingSignal();
        try {
            Thread.ofPlatform().daemon().name("test-exit-watch").start(() -> ExitWatch.watchAncestor(sleeper.toHandle(),
                    false, () -> {
                        looks.incrementAndGet();
                        return null;
                    }, done::get, ended::set, () -> ExitWatch.PIDFD_LOOK_MILLIS, pid -> Optional.of(signal)));

            // The first look, then polling after the signal was caught lying: the verdict is asked at each poll.
            await().atMost(Duration.ofSeconds(30)).until(() -> looks.get() >= 3 || ended.get() != null);
            assertThat(ended.get()).as("a running process declared exited").isNull();
            assertThat(signal.asked).hasValue(1);
            assertThat(signal.closed).isTrue();
            assertThat(this.logs.messages()).anySatisfy(message -> assertThat(message)
                    .contains("the exit signal of process " + sleeper.pid() + " said it exited, but it still runs"));

            sleeper.destroyForcibly();
            sleeper.waitFor(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> ended.get() != null);
            assertThat(ended.get()).isEqualTo("the host process " + sleeper.pid() + " exited");
        }
        finally {
            done.set(true);
            sleeper.destroyForcibly();
            sleeper.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aTruthfulSignalEndsTheWatchAtTheExit() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        AtomicReference<@Nullable String> ended = new AtomicReference<>();
        try {
            Thread.ofPlatform().daemon().name("test-exit-watch").start(() -> ExitWatch.watchAncestor(sleeper.toHandle(),
                    false, () -> null, () -> false, ended::set, () -> ExitWatch.PIDFD_LOOK_MILLIS));
            sleeper.destroyForcibly();
            // Not reaped meanwhile by anyone but this test, which waits only after the watch spoke: a zombie exited too.
            await().atMost(Duration.ofSeconds(30)).until(() -> ended.get() != null);
            assertThat(ended.get()).isEqualTo("the host process " + sleeper.pid() + " exited");
        }
        finally {
            sleeper.destroyForcibly();
            sleeper.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
