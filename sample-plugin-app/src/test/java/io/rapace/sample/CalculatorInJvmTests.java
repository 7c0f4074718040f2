package io.rapace.sample;

import java.time.Duration;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.test.RapacePluginExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The services without Spring: host and plugin sessions in the test JVM over a real segment file. */
class CalculatorInJvmTests {

    @RegisterExtension
    static RapacePluginExtension plugin = RapacePluginExtension.inJvm(new CalculatorService(), new Sha256Hasher());

    @Test
    void addsOverTheSegment(Calculator calculator) {
        assertThat(calculator.add(2, 3)).isEqualTo(5);
        assertThatExceptionOfType(RapaceException.class).isThrownBy(() -> calculator.add(Integer.MIN_VALUE, -1))
            .satisfies((ex) -> assertThat(ex.errorCode()).isEqualTo(ErrorCode.OUT_OF_RANGE));
    }

    @Test
    void streamsOverTheSegment() {
        Calculator calculator = plugin.client(Calculator.class);
        assertThat(calculator.range(4).collectList().block(Duration.ofSeconds(30))).containsExactly(0, 1, 2, 3);
    }

    @Test
    void hashesOverTheSegment(Hasher hasher) {
        assertThat(hasher.sha256(new byte[0])).hasSize(32);
    }
}
