package io.rapace.transport.shm;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffIdleStrategyTest {

    @Test
    void defaultsYieldForAHundredMicrosecondsBeforeParkingUpToOneMillisecondThenFourAfterALongIdle() {
        assertThat(new BackoffIdleStrategy()).hasToString("BackoffIdleStrategy[maxSpins=100, maxYields=20, "
                + "yieldWindowNanos=100000, minParkNanos=1000, maxParkNanos=1000000, longIdleMaxParkNanos=4000000]");
    }

    @Test
    void explicitParkLimitsDoNotEscalate() {
        assertThat(new BackoffIdleStrategy(1, 2, 3, 4, 5).toString()).contains("maxParkNanos=5, longIdleMaxParkNanos=5");
        assertThat(BackoffIdleStrategy.withMaxPark(Duration.ofMillis(2)).toString())
                .contains("maxParkNanos=2000000, longIdleMaxParkNanos=2000000");
        assertThat(BackoffIdleStrategy.withLongIdleMaxPark(Duration.ofMillis(8)).toString())
                .contains("maxParkNanos=1000000, longIdleMaxParkNanos=8000000");
        assertThatThrownBy(() -> new BackoffIdleStrategy(1, 1, 0, 1, 10, 9))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longIdleMaxParkNanos=9");
    }

    @Test
    void reportsParkingOnlyAfterTheSpinAndYieldPhasesAndNotAfterWork() {
        BackoffIdleStrategy idle = new BackoffIdleStrategy(2, 2, 0, 1_000, 1_000);
        assertThat(idle.isParking()).isFalse();
        for (int i = 0; i < 4; i++) {
            idle.idle(0);  // 2 spins, 2 yields
            assertThat(idle.isParking()).as("round %d", i).isFalse();
        }
        idle.idle(0);      // first park
        assertThat(idle.isParking()).isTrue();
        idle.idle(0);
        assertThat(idle.isParking()).isTrue();
        idle.idle(1);
        assertThat(idle.isParking()).isFalse();
        assertThat(((IdleStrategy) new BusySpinIdleStrategy()).isParking()).isFalse();
    }

    @Test
    void longIdleParksGrowBeyondTheShortMaximumUpToTheLongOne() {
        // Escalation is bounded by 1/64 of the idle time: with 1 µs parks and a 4 µs long maximum, the idle
        // time passes 64 × 4 µs after a few hundred parks (each sleeps ≥ 1 µs).
        BackoffIdleStrategy idle = new BackoffIdleStrategy(0, 0, 0, 1_000, 1_000, 4_000);
        for (int i = 0; i < 400; i++) {
            idle.idle(0);
        }
        assertThat(idle.currentParkNanos()).isEqualTo(4_000);
        idle.idle(1);
        assertThat(idle.currentParkNanos()).isEqualTo(1_000);
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
