package io.rapace.sample;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When the plugin may start on Spring AOT's build-time bean definitions. */
class SpringAotModeTests {

    private static final Map<String, String> NO_ENV = Map.of();

    @Test
    void aHostLaunchWithAPathFits() {
        assertThat(SpringAotMode.fits(new String[] { "/dev/shm/a.shm" }, NO_ENV)).isTrue();
        assertThat(SpringAotMode.fits(new String[] { "--shm-path=/dev/shm/a.shm" }, NO_ENV)).isTrue();
        assertThat(SpringAotMode.fits(new String[] { "--addr=/dev/shm/a.shm" }, NO_ENV)).isTrue();
        assertThat(SpringAotMode.fits(new String[] { "--rapace.shm.path=/dev/shm/a.shm" }, NO_ENV)).isTrue();
        assertThat(SpringAotMode.fits(new String[0], Map.of("RAPACE_SHM_PATH", "/dev/shm/a.shm"))).isTrue();
    }

    @Test
    void runTimeRapaceAndLoggingPropertiesFit() {
        assertThat(SpringAotMode.fits(new String[] { "/dev/shm/a.shm", "--rapace.liveness-timeout=1s",
                "--rapace.exit-on-host-exit=false", "--logging.level.io.rapace=DEBUG" }, NO_ENV)).isTrue();
    }

    @Test
    void withoutAPathTheClassicStartSaysThatNothingStarts() {
        assertThat(SpringAotMode.fits(new String[0], NO_ENV)).isFalse();
        assertThat(SpringAotMode.fits(new String[] { "--shm-path=" }, NO_ENV)).isFalse();
        assertThat(SpringAotMode.fits(new String[] { "--rapace.liveness-timeout=1s" }, NO_ENV)).isFalse();
    }

    @Test
    void anythingThatCouldChangeAConditionStartsClassically() {
        assertThat(SpringAotMode.fits(new String[] { "/a.shm", "--spring.jmx.enabled=false" }, NO_ENV)).isFalse();
        assertThat(SpringAotMode.fits(new String[] { "/a.shm", "--management.health.rapace.enabled=false" }, NO_ENV))
            .isFalse();
        assertThat(SpringAotMode.fits(new String[] { "/a.shm", "--rapace.service-scan.enabled=false" }, NO_ENV))
            .isFalse();
        assertThat(SpringAotMode.fits(new String[] { "/a.shm", "--debug" }, NO_ENV)).isFalse();
        assertThat(SpringAotMode.fits(new String[] { "/a.shm" }, Map.of("SPRING_PROFILES_ACTIVE", "x"))).isFalse();
        assertThat(SpringAotMode.fits(new String[] { "/a.shm" }, Map.of("MANAGEMENT_HEALTH_RAPACE_ENABLED", "false")))
            .isFalse();
    }
}
