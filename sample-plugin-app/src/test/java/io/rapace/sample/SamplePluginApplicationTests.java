package io.rapace.sample;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.spring.boot.RapaceSessionLifecycle;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The plugin's context without a host: the services are plain beans and no session starts. (Without a segment
 * the plugin warns that it starts no session, as RapaceAutoConfigurationTests checks: not printed here.)
 */
@SpringBootTest(properties = "logging.level.io.rapace.spring.boot.autoconfigure.RapaceAutoConfiguration=error")
class SamplePluginApplicationTests {

    @Autowired
    private ApplicationContext context;

    @Autowired
    private Calculator calculator;

    @Autowired
    private Hasher hasher;

    @Test
    void servicesAreBeansAndNoSessionStartsWithoutPath() {
        assertThat(this.context.getBeansOfType(RapaceSessionLifecycle.class)).isEmpty();
        assertThat(this.calculator).isInstanceOf(CalculatorService.class);
        assertThat(this.hasher).isInstanceOf(Sha256Hasher.class);
    }

    @Test
    void addReportsOverflowAsOutOfRange() {
        assertThat(this.calculator.add(40, 2)).isEqualTo(42);
        assertThatExceptionOfType(RapaceException.class).isThrownBy(() -> this.calculator.add(Integer.MIN_VALUE, -1))
            .satisfies((ex) -> assertThat(ex.errorCode()).isEqualTo(ErrorCode.OUT_OF_RANGE));
    }

    @Test
    void rangeTreatsItsArgumentAsUnsigned() {
        assertThat(this.calculator.range(3).collectList().block(Duration.ofSeconds(10))).containsExactly(0, 1, 2);
        // u32 4294967295 arrives as -1: the range is long, not empty.
        assertThat(this.calculator.range(-1).take(3).collectList().block(Duration.ofSeconds(10)))
            .containsExactly(0, 1, 2);
    }

    @Test
    void sha256MatchesTheJdk() throws Exception {
        byte[] data = "rapace".getBytes(StandardCharsets.UTF_8);
        assertThat(this.hasher.sha256(data)).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
