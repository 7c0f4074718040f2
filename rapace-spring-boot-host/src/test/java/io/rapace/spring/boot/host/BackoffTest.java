package io.rapace.spring.boot.host;

import java.time.Duration;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BackoffTest {

    private static final RandomGenerator MIDDLE = new RandomGenerator() {
        @Override
        public long nextLong() {
            return 0;
        }

        @Override
        public double nextDouble() {
            return 0.5;
        }
    };

    @Test
    void doublesFromInitialUpToMax() {
        Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1), 0.2);
        assertThat(backoff.delay(1, MIDDLE)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.delay(2, MIDDLE)).isEqualTo(Duration.ofMillis(400));
        assertThat(backoff.delay(3, MIDDLE)).isEqualTo(Duration.ofMillis(800));
        assertThat(backoff.delay(4, MIDDLE)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delay(1_000, MIDDLE)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void jitterSpreadsWithinTheFraction() {
        Backoff backoff = new Backoff(Duration.ofMillis(1000), Duration.ofSeconds(10), 0.2);
        RandomGenerator random = RandomGenerator.of("L64X128MixRandom");
        for (int i = 0; i < 1000; i++) {
            assertThat(backoff.delay(1, random)).isBetween(Duration.ofMillis(800), Duration.ofMillis(1200));
        }
    }

    @Test
    void badValuesAreNamed() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 0))
            .withMessageContaining("backoff.initial must be positive");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 0))
            .withMessageContaining("backoff.max (PT1S) must not be below backoff.initial (PT2S)");
        assertThatIllegalArgumentException().isThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 2))
            .withMessageContaining("backoff.jitter must be in [0, 1], was 2.0");
    }
}
