package io.rapace.spring.boot.host;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RestartWindowTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    @Test
    void countsTheRestartsWithinTheWindowThisOneIncluded() {
        RestartWindow window = new RestartWindow(Duration.ofSeconds(10));
        long start = 123_456_789L;
        assertThat(window.record(start)).isEqualTo(1);
        assertThat(window.record(start + 4 * SECOND)).isEqualTo(2);
        assertThat(window.record(start + 10 * SECOND)).as("exactly one window after the first: still in it")
            .isEqualTo(3);
        assertThat(window.record(start + 10 * SECOND + 1)).as("the first has left the window").isEqualTo(3);
        assertThat(window.record(start + 30 * SECOND)).as("all others have left").isEqualTo(1);
    }

    @Test
    void followsTheMonotonicClockAcrossItsSignChange() {
        RestartWindow window = new RestartWindow(Duration.ofSeconds(10));
        assertThat(window.record(Long.MAX_VALUE - SECOND)).isEqualTo(1);
        assertThat(window.record(Long.MAX_VALUE + 5 * SECOND)).as("nanoTime overflowed: 6 s later").isEqualTo(2);
        assertThat(window.record(Long.MAX_VALUE + 12 * SECOND)).isEqualTo(2);
    }

    @Test
    void clearForgetsEveryRestart() {
        RestartWindow window = new RestartWindow(Duration.ofMinutes(5));
        window.record(0);
        window.record(SECOND);
        window.clear();
        assertThat(window.record(2 * SECOND)).isEqualTo(1);
    }
}
