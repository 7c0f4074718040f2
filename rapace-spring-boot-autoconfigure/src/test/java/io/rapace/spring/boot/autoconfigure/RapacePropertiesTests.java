package io.rapace.spring.boot.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RapacePropertiesTests {

    @Test
    void defaultsMatchTheDocumentation() {
        RapaceProperties properties = new RapaceProperties();
        assertThat(properties.getShm().getPath()).isNull();
        assertThat(properties.getShm().getRingCapacity()).isNull();
        assertThat(properties.getShm().getSlotSize()).isNull();
        assertThat(properties.getShm().getSlotCount()).isNull();
        assertThat(properties.getShm().getWaitTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(properties.getLivenessTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(properties.getCallTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(properties.getShutdownGracePeriod()).isEqualTo(Duration.ofSeconds(10));
        assertThat(properties.isExitOnHostExit()).isTrue();
    }

    @Test
    void bindsEveryProperty() {
        MapConfigurationPropertySource source = new MapConfigurationPropertySource();
        source.put("rapace.shm.path", "/dev/shm/plugin");
        source.put("rapace.shm.ring-capacity", "512");
        source.put("rapace.shm.slot-size", "4KB");
        source.put("rapace.shm.slot-count", "64");
        source.put("rapace.shm.wait-timeout", "750ms");
        source.put("rapace.liveness-timeout", "2s");
        source.put("rapace.call-timeout", "1m");
        source.put("rapace.shutdown-grace-period", "0s");
        source.put("rapace.exit-on-host-exit", "false");
        RapaceProperties properties = new Binder(source).bind("rapace", RapaceProperties.class).get();
        assertThat(properties.getShm().getPath()).isEqualTo(Path.of("/dev/shm/plugin"));
        assertThat(properties.getShm().getRingCapacity()).isEqualTo(512);
        assertThat(properties.getShm().getSlotSize()).isEqualTo(DataSize.ofKilobytes(4));
        assertThat(properties.getShm().getSlotCount()).isEqualTo(64);
        assertThat(properties.getShm().getWaitTimeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(properties.getLivenessTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(properties.getCallTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(properties.getShutdownGracePeriod()).isZero();
        assertThat(properties.isExitOnHostExit()).isFalse();
    }

    @Test
    void slotSizeWithoutUnitIsBytes() {
        MapConfigurationPropertySource source = new MapConfigurationPropertySource();
        source.put("rapace.shm.slot-size", "4096");
        RapaceProperties properties = new Binder(source).bind("rapace", RapaceProperties.class).get();
        assertThat(properties.getShm().getSlotSize()).isEqualTo(DataSize.ofBytes(4096));
    }

    @ParameterizedTest
    @CsvSource({ "rapace.liveness-timeout, 0s", "rapace.call-timeout, -1s", "rapace.shm.wait-timeout, -5ms",
            "rapace.shutdown-grace-period, -1s" })
    void rejectsDurationsThatCannotWorkNamingTheProperty(String property, String value) {
        MapConfigurationPropertySource source = new MapConfigurationPropertySource();
        source.put(property, value);
        assertThatExceptionOfType(BindException.class)
            .isThrownBy(() -> new Binder(source).bind("rapace", RapaceProperties.class))
            .havingRootCause()
            .withMessageStartingWith(property + " must");
    }
}
