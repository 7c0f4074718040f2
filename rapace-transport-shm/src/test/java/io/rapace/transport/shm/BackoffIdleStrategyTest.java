package io.rapace.transport.shm;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffIdleStrategyTest {

    @Test
    void defaultsSpinAHundredTimesYieldAtLeastTwentyTimesThenParkFromOneMicrosecondDoublingToOneMillisecond() {
        BackoffIdleStrategy idle = new BackoffIdleStrategy();
        for (int i = 0; i < BackoffIdleStrategy.DEFAULT_MAX_SPINS + BackoffIdleStrategy.DEFAULT_MAX_YIELDS; i++) {
            idle.idle(0);
            assertThat(idle.isParking()).as("round %d: still spinning or yielding", i).isFalse();
        }
        idleUntilParking(idle);
        assertThat(idle.currentParkNanos()).as("the first park doubled").isEqualTo(2_000);
        long expected = 2_000;
        while (expected < 1_000_000) {
            idle.idle(0);
            expected = Math.min(2 * expected, 1_000_000);
            assertThat(idle.currentParkNanos()).isEqualTo(expected);
        }
    }

    @Test
    void defaultParksGrowBeyondOneMillisecondOnlyAfterALongIdleAndNeverBeyondFour() {
        long start = System.nanoTime();  // before the strategy's idle time starts: elapsed is never less than it
        BackoffIdleStrategy idle = new BackoffIdleStrategy();
        idleUntilParking(idle);
        long deadline = start + TimeUnit.SECONDS.toNanos(20);
        while (idle.currentParkNanos() < BackoffIdleStrategy.DEFAULT_LONG_IDLE_MAX_PARK_NANOS
                && System.nanoTime() - deadline < 0) {
            idle.idle(0);
            long park = idle.currentParkNanos();
            assertThat(park).isLessThanOrEqualTo(BackoffIdleStrategy.DEFAULT_LONG_IDLE_MAX_PARK_NANOS);
            if (park > BackoffIdleStrategy.DEFAULT_MAX_PARK_NANOS) {
                assertThat(park).as("a park beyond 1 ms is at most 1/64 of the time idled")
                        .isLessThanOrEqualTo((System.nanoTime() - start) >> 6);
            }
        }
        assertThat(idle.currentParkNanos()).isEqualTo(BackoffIdleStrategy.DEFAULT_LONG_IDLE_MAX_PARK_NANOS);
        idle.idle(1);
        assertThat(idle.currentParkNanos()).isEqualTo(BackoffIdleStrategy.DEFAULT_MIN_PARK_NANOS);
        assertThat(idle.isParking()).isFalse();
    }

    @Test
    void explicitParkLimitsDoNotEscalate() {
        assertParksSettleAt(new BackoffIdleStrategy(1, 2, 3, 4, 5), 5);
        assertParksSettleAt(BackoffIdleStrategy.withMaxPark(Duration.ofNanos(50_000)), 50_000);
        assertThatThrownBy(() -> new BackoffIdleStrategy(1, 1, 0, 1, 10, 9))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longIdleMaxParkNanos=9");
    }

    @Test
    void longIdleMaximumIsConfigurable() {
        BackoffIdleStrategy idle = BackoffIdleStrategy.withLongIdleMaxPark(Duration.ofMillis(2));
        idleUntilParking(idle);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (idle.currentParkNanos() < 2_000_000 && System.nanoTime() - deadline < 0) {
            idle.idle(0);
            assertThat(idle.currentParkNanos()).isLessThanOrEqualTo(2_000_000);
        }
        assertThat(idle.currentParkNanos()).isEqualTo(2_000_000);
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
        BackoffIdleStrategy idle = new BackoffIdleStrategy(3, 4, 5, 6);
        for (int i = 0; i < 7; i++) {
            idle.idle(0);
            assertThat(idle.isParking()).as("round %d", i).isFalse();
        }
        idle.idle(0);
        assertThat(idle.isParking()).as("parks right after 3 spins and 4 yields").isTrue();
    }

    @Test
    void yieldWindowIsConfigurableAndMustNotBeNegative() {
        BackoffIdleStrategy longWindow = BackoffIdleStrategy.withYieldWindow(Duration.ofSeconds(30));
        for (int i = 0; i < 300; i++) {
            longWindow.idle(0);
        }
        assertThat(longWindow.isParking()).as("still yielding inside a 30 s window").isFalse();
        BackoffIdleStrategy noWindow = BackoffIdleStrategy.withYieldWindow(Duration.ZERO);
        for (int i = 0; i < BackoffIdleStrategy.DEFAULT_MAX_SPINS + BackoffIdleStrategy.DEFAULT_MAX_YIELDS; i++) {
            noWindow.idle(0);
        }
        noWindow.idle(0);
        assertThat(noWindow.isParking()).as("parks after the minimum yields").isTrue();
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
        assertThat(idle.currentParkNanos()).isEqualTo(1_000);
        for (int i = 0; i < 50; i++) {
            idle.idle(0);
            assertThat(idle.currentParkNanos()).isBetween(1_000L, 4_000L);
        }
        assertThat(idle.isParking()).isTrue();
        idle.reset();
        assertThat(idle.isParking()).isFalse();
        assertThat(idle.currentParkNanos()).isEqualTo(1_000);
    }

    /** Idles until the strategy parks, then checks the first park was the minimum. */
    private static void idleUntilParking(BackoffIdleStrategy idle) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!idle.isParking() && System.nanoTime() - deadline < 0) {
            idle.idle(0);
        }
        assertThat(idle.isParking()).isTrue();
    }

    /** Parks grow to {@code max} and stay there however long the idle lasts (a few thousand parks). */
    private static void assertParksSettleAt(BackoffIdleStrategy idle, long max) {
        idleUntilParking(idle);
        for (int i = 0; i < 3_000; i++) {
            idle.idle(0);
            assertThat(idle.currentParkNanos()).isLessThanOrEqualTo(max);
        }
        assertThat(idle.currentParkNanos()).isEqualTo(max);
    }
}
