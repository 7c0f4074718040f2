package io.rapace.transport.shm;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffIdleStrategyTest {

    @Test
    void defaultsYieldForAHundredMicrosecondsBeforeParkingUpToOneMillisecond() {
        assertThat(new BackoffIdleStrategy()).hasToString("BackoffIdleStrategy[maxSpins=100, maxYields=20, "
                + "yieldWindowNanos=100000, minParkNanos=1000, maxParkNanos=1000000]");
    }

    @Test
    void countOnlyConstructorHasNoYieldWindow() {
        assertThat(new BackoffIdleStrategy(3, 4, 5, 6).toString()).contains("yieldWindowNanos=0");
    }

    @Test
    void yieldWindowIsConfigurableAndMustNotBeNegative() {
        assertThat(BackoffIdleStrategy.withYieldWindow(Duration.ofNanos(250_000)).toString())
                .contains("yieldWindowNanos=250000");
        assertThatThrownBy(() -> new BackoffIdleStrategy(1, 1, -1, 1, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("yieldWindowNanos=-1");
        assertThatThrownBy(() -> BackoffIdleStrategy.withYieldWindow(Duration.ofNanos(-5)))
                .hasMessageContaining("yieldWindowNanos=-5");
    }

    @Test
    void idlingThroughEveryPhaseAndResettingOnWorkNeverFails() {
        // Tiny window and parks so that the test walks through spin, yield and park quickly.
        BackoffIdleStrategy idle = new BackoffIdleStrategy(2, 2, 1_000, 1_000, 4_000);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 50; i++) {
                idle.idle(0);
            }
            idle.idle(1);
        }
        idle.reset();
        idle.idle(0);
        assertThat(idle.toString()).contains("maxParkNanos=4000");
    }
}
