package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import io.rapace.transport.shm.layout.DescriptorLayout;

import org.junit.jupiter.api.Test;

/** Validation of configuration values: every error names the field and its value. */
class ConfigValidationTest {

    @Test
    void ringCapacityMustBeAPowerOfTwo() {
        assertThatThrownBy(() -> new ShmConfig(0, 1024, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ringCapacity=0");
        assertThatThrownBy(() -> new ShmConfig(12, 1024, 4)).hasMessageContaining("ringCapacity=12")
                .hasMessageContaining("power of two");
        assertThatThrownBy(() -> new ShmConfig(-8, 1024, 4)).hasMessageContaining("ringCapacity=-8");
        assertThat(new ShmConfig(1, 1, 1).totalSize()).isEqualTo(64 + 2 * (192 + 64) + 64 + 8 + 1);
    }

    @Test
    void sizesMustBePositive() {
        assertThatThrownBy(() -> new ShmConfig(8, 0, 4)).hasMessageContaining("slotSize=0");
        assertThatThrownBy(() -> new ShmConfig(8, 1024, -1)).hasMessageContaining("slotCount=-1");
    }

    @Test
    void totalSizeIsCappedAt512MiB() {
        assertThatThrownBy(() -> new ShmConfig(256, 1 << 20, 512)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exceeds the maximum 536870912 bytes").hasMessageContaining("slotCount=512");
        assertThat(new ShmConfig(256, 1 << 20, 511).totalSize()).isLessThanOrEqualTo(ShmConfig.MAX_TOTAL_SIZE);
    }

    @Test
    void optionsRejectNonsense() {
        ShmOptions defaults = ShmOptions.defaults();
        assertThat(defaults.openTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.livenessTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(defaults.heartbeatInterval()).isEqualTo(Duration.ofMillis(400));
        assertThat(defaults.expectedConfig()).isNull();
        assertThat(defaults.idleStrategy().get()).isInstanceOf(BackoffIdleStrategy.class);
        assertThatThrownBy(() -> defaults.withOpenTimeout(Duration.ofSeconds(-1)))
                .hasMessageContaining("openTimeout=PT-1S");
        assertThatThrownBy(() -> defaults.withLivenessTimeout(Duration.ZERO)).hasMessageContaining("livenessTimeout=PT0S");
        assertThatThrownBy(() -> defaults.withHeartbeatInterval(Duration.ofSeconds(3)))
                .hasMessageContaining("heartbeatInterval=PT3S").hasMessageContaining("livenessTimeout=PT3S");
        assertThat(defaults.withExpectedConfig(ShmConfig.PLUGIN_DEFAULT).expectedConfig())
                .isEqualTo(ShmConfig.PLUGIN_DEFAULT);
        assertThat(defaults.peerGoneAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> defaults.withPeerGoneAfter(Duration.ofSeconds(2)))
                .hasMessageContaining("peerGoneAfter=PT2S").hasMessageContaining("livenessTimeout=PT3S");
        assertThat(defaults.withLivenessTimeout(Duration.ofMinutes(1)).peerGoneAfter()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void aLivenessTimeoutNoLongerThanTheDefaultHeartbeatTakesHalfOfItAsTheHeartbeat() {
        // 300 ms was a valid timeout beside the 250 ms default of earlier versions: it stays valid beside 400 ms.
        ShmOptions shortTimeout = ShmOptions.defaults().withLivenessTimeout(Duration.ofMillis(300));
        assertThat(shortTimeout.heartbeatInterval()).isEqualTo(Duration.ofMillis(150));
        assertThat(ShmOptions.defaults().withLivenessTimeout(Duration.ofMillis(401)).heartbeatInterval())
                .isEqualTo(ShmOptions.DEFAULT_HEARTBEAT_INTERVAL);
        // An interval set by the caller is the caller's: it stays, and must be shorter than the timeout.
        assertThat(ShmOptions.defaults().withHeartbeatInterval(Duration.ofMillis(100))
                .withLivenessTimeout(Duration.ofMillis(300)).heartbeatInterval()).isEqualTo(Duration.ofMillis(100));
        assertThatThrownBy(() -> ShmOptions.defaults().withHeartbeatInterval(Duration.ofMillis(350))
                .withLivenessTimeout(Duration.ofMillis(300)))
                .hasMessageContaining("heartbeatInterval=PT0.35S").hasMessageContaining("livenessTimeout=PT0.3S");
    }

    @Test
    void backoffIdleStrategyRejectsNonsense() {
        assertThatThrownBy(() -> new BackoffIdleStrategy(-1, 0, 1, 1)).hasMessageContaining("maxSpins=-1");
        assertThatThrownBy(() -> new BackoffIdleStrategy(1, 1, 10, 5)).hasMessageContaining("maxParkNanos=5");
        BackoffIdleStrategy idle = BackoffIdleStrategy.withMaxPark(Duration.ofMillis(2));
        for (int i = 0; i < 200; i++) {
            idle.idle(0);
        }
        idle.idle(1);
        assertThat(idle.toString()).contains("maxParkNanos=2000000");
    }

    @Test
    void descriptorRequiresSixteenInlineBytesAndKeepsACopy() {
        assertThatThrownBy(() -> new Descriptor(0, 0, 0, DescriptorLayout.INLINE_SLOT, 0, 0, 0, 0, 0, -1, new byte[15]))
                .hasMessageContaining("inlinePayload length=15");
        assertThatThrownBy(() -> Descriptor.inline(0, 0, 0, 0, -1, new byte[17]))
                .hasMessageContaining("inline payload length=17");
        byte[] bytes = {1, 2, 3};
        Descriptor descriptor = Descriptor.inline(5, 1, 2, FrameFlags.DATA, -1, bytes);
        bytes[0] = 9;
        assertThat(descriptor.inlinePayload()[0]).isEqualTo((byte) 1);
        assertThat(Descriptor.decode(descriptor.encode())).isEqualTo(descriptor);
        assertThat(descriptor.toString()).contains("payload_slot=inline").contains("flags=DATA")
                .contains("deadline_ns=none");
        assertThat(FrameFlags.describe(FrameFlags.DATA | FrameFlags.EOS | 0x100)).isEqualTo("DATA|EOS|0x100");
    }
}
