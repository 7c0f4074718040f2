package io.rapace.spring.boot.autoconfigure.health;

import java.nio.file.Path;
import java.util.Map;

import io.rapace.spring.boot.autoconfigure.HostSegment;
import io.rapace.spring.boot.autoconfigure.RapaceAutoConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class RapaceHealthContributorAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(RapaceAutoConfiguration.class,
                RapaceHealthContributorAutoConfiguration.class))
        .withPropertyValues("rapace.exit-on-host-exit=false");

    @TempDir
    Path directory;

    private HostSegment host;

    @BeforeEach
    void createSegment() {
        this.host = HostSegment.create(this.directory);
    }

    @AfterEach
    void closeSegment() throws Exception {
        this.host.close();
    }

    @Test
    void runShouldCreateIndicatorReportingUpWithDetails() {
        this.contextRunner.withPropertyValues("rapace.shm.path=" + this.host.path()).run((context) -> {
            assertThat(context).hasSingleBean(RapaceHealthIndicator.class);
            assertThat(context).hasBean("rapaceHealthIndicator");
            Health health = context.getBean(RapaceHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("path", this.host.path().toString())
                .containsEntry("state", "OPEN")
                .containsEntry("slotCount", HostSegment.CONFIG.slotCount())
                .containsKeys("peerHeartbeatAge", "slotsInUse");
            assertThat(health.getDetails().get("ringOccupancy")).isInstanceOfSatisfying(Map.class,
                    (occupancy) -> assertThat(occupancy).containsEntry("capacity", HostSegment.CONFIG.ringCapacity())
                        .containsKeys("send", "receive"));
        });
    }

    @Test
    void indicatorReportsDownWhenTheHostStopsHeartbeating() {
        this.contextRunner.withPropertyValues("rapace.shm.path=" + this.host.path(), "rapace.liveness-timeout=300ms")
            .run((context) -> {
                RapaceHealthIndicator indicator = context.getBean(RapaceHealthIndicator.class);
                assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
                this.host.transport().close();
                org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN));
            });
    }

    @Test
    void runWhenDisabledShouldNotCreateIndicator() {
        this.contextRunner
            .withPropertyValues("rapace.shm.path=" + this.host.path(), "management.health.rapace.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(RapaceHealthIndicator.class));
    }

    @Test
    void runWithoutPathShouldNotCreateIndicator() {
        this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(RapaceHealthIndicator.class));
    }

    @Test
    void runWithoutHealthModuleShouldNotCreateIndicator() {
        this.contextRunner.withPropertyValues("rapace.shm.path=" + this.host.path())
            .withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
            .run((context) -> assertThat(context).doesNotHaveBean("rapaceHealthIndicator"));
    }

    @Test
    void runWithUserIndicatorShouldBackOff() {
        HealthIndicator custom = () -> Health.up().build();
        this.contextRunner.withPropertyValues("rapace.shm.path=" + this.host.path())
            .withBean("rapaceHealthIndicator", HealthIndicator.class, () -> custom)
            .run((context) -> {
                assertThat(context).doesNotHaveBean(RapaceHealthIndicator.class);
                assertThat(context).getBean("rapaceHealthIndicator").isSameAs(custom);
            });
    }
}
