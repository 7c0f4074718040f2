package io.rapace.sample;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.test.spring.RapaceSpringBootTest;
import io.rapace.test.spring.RapaceTestHost;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The plugin's whole context with a host in the test JVM: its real beans called over a real segment. */
@RapaceSpringBootTest
class SamplePluginOverSegmentTests {

    @Autowired
    private RapaceTestHost host;

    @Test
    void calculatorAddsAndReportsOverflow() {
        Calculator calculator = this.host.client(Calculator.class);
        assertThat(calculator.add(40, 2)).isEqualTo(42);
        assertThatExceptionOfType(RapaceException.class).isThrownBy(() -> calculator.add(Integer.MAX_VALUE, 1))
            .satisfies((ex) -> assertThat(ex.errorCode()).isEqualTo(ErrorCode.OUT_OF_RANGE));
    }

    @Test
    void calculatorStreamsARange() {
        Calculator calculator = this.host.client(Calculator.class);
        assertThat(calculator.range(3).collectList().block(Duration.ofSeconds(30))).containsExactly(0, 1, 2);
    }

    @Test
    void hasherDigestsWithSha256() throws Exception {
        byte[] data = "rapace".getBytes(StandardCharsets.UTF_8);
        assertThat(this.host.client(Hasher.class).sha256(data))
            .isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
