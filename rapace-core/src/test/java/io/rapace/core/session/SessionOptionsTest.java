package io.rapace.core.session;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionOptionsTest {

    @Test
    void defaultsAreDocumented() {
        SessionOptions options = SessionOptions.defaults();
        assertThat(options.defaultCallTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.sendTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.closeGrace()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.dispatcher().lookup(1)).isNull();
    }

    @Test
    void withersReplaceOneField() {
        SessionOptions options = SessionOptions.defaults().withDefaultCallTimeout(Duration.ofMillis(5))
                .withSendTimeout(Duration.ofMillis(6)).withCloseGrace(Duration.ZERO);
        assertThat(options.defaultCallTimeout()).isEqualTo(Duration.ofMillis(5));
        assertThat(options.sendTimeout()).isEqualTo(Duration.ofMillis(6));
        assertThat(options.closeGrace()).isZero();
    }

    @Test
    void badDurationsNameTheFieldAndValue() {
        assertThatThrownBy(() -> SessionOptions.defaults().withDefaultCallTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("defaultCallTimeout must be > 0, was PT0S");
        assertThatThrownBy(() -> SessionOptions.defaults().withSendTimeout(Duration.ofSeconds(-1)))
                .hasMessage("sendTimeout must be > 0, was PT-1S");
        assertThatThrownBy(() -> SessionOptions.defaults().withCloseGrace(Duration.ofSeconds(-1)))
                .hasMessage("closeGrace must be >= 0, was PT-1S");
    }
}
