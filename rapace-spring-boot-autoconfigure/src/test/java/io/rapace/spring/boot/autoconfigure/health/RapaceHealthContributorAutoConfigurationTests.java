package io.rapace.spring.boot.autoconfigure.health;

import java.time.Duration;

import io.rapace.core.session.SessionOptions;
import io.rapace.spring.boot.RapaceSessionLifecycle;
import io.rapace.spring.boot.RapaceShmPath;
import io.rapace.spring.boot.RapaceTransportFactory.ExpectedGeometry;
import io.rapace.spring.boot.RapaceTransportFactory;
import io.rapace.spring.boot.autoconfigure.HostSegment;
import io.rapace.spring.boot.autoconfigure.RapaceAutoConfiguration;
import io.rapace.spring.boot.health.RapaceHealthIndicator;
import io.rapace.testsupport.logging.LogCapture;
import io.rapace.transport.shm.ShmOptions;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RapaceHealthContributorAutoConfigurationTests {

    // Contexts without a segment or without services log warnings on purpose: captured, not printed.
    @RegisterExtension
    final LogCapture logs = LogCapture.of("io.rapace");

    private final ApplicationContextRunner contextRunner = HostSegment.contextRunner(RapaceAutoConfiguration.class,
            RapaceHealthContributorAutoConfiguration.class);

    @RegisterExtension
    final HostSegment host = new HostSegment();

    @Test
    void runShouldCreateIndicatorReportingUpWithDetails() {
        this.contextRunner.withPropertyValues(this.host.pathProperty()).run((context) -> {
            assertThat(context).hasSingleBean(RapaceHealthIndicator.class);
            assertThat(context).hasBean("rapaceHealthIndicator");
            Health health = context.getBean(RapaceHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("path", this.host.path().toString())
                .containsEntry("state", "OPEN")
                .containsEntry("slotCount", HostSegment.CONFIG.slotCount())
                .containsKeys("peerHeartbeatAge", "slotsInUse");
            assertThat(health.getDetails().get("peerHeartbeatAge")).asString().matches("\\d+\\.\\d ms");
            assertThat(health.getDetails().get("ringOccupancy")).asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry("capacity", HostSegment.CONFIG.ringCapacity())
                .containsKeys("send", "receive");
        });
    }

    @Test
    void indicatorReportsOutOfServiceWhileTheHostIsStalledAndDownOnceItIsGone() {
        this.contextRunner
            .withPropertyValues(this.host.pathProperty(), "rapace.liveness-timeout=300ms", "rapace.peer-gone-after=4s")
            .run((context) -> {
                RapaceHealthIndicator indicator = context.getBean(RapaceHealthIndicator.class);
                assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
                this.host.transport().close();
                await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(indicator.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE));
                assertThat(indicator.health().getDetails()).containsEntry("peerState", "STALLED");
                await()
                    .atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN));
            });
    }

    @Test
    void indicatorFollowsTheLifecycleThroughStopAndRestart() {
        this.contextRunner.withPropertyValues(this.host.pathProperty()).run((context) -> {
            RapaceHealthIndicator indicator = context.getBean(RapaceHealthIndicator.class);
            RapaceSessionLifecycle lifecycle = context.getBean(RapaceSessionLifecycle.class);
            lifecycle.stop();
            Health stopped = indicator.health();
            assertThat(stopped.getStatus()).isEqualTo(Status.DOWN);
            assertThat(stopped.getDetails()).containsEntry("state", "CLOSED").doesNotContainKey("slotCount");
            lifecycle.start();
            assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    void indicatorIsUnknownBeforeTheFirstStart() {
        RapaceSessionLifecycle lifecycle = new RapaceSessionLifecycle(new RapaceShmPath(this.host.path(), "test"),
                new RapaceTransportFactory(ShmOptions.defaults(), ExpectedGeometry.ANY), SessionOptions::defaults, Duration.ZERO, (exit) -> {
                });
        Health health = new RapaceHealthIndicator(lifecycle).health();
        assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
        assertThat(health.getDetails()).containsEntry("state", "NOT_STARTED")
            .containsEntry("path", this.host.path().toString());
    }

    @Test
    void runWhenDisabledShouldNotCreateIndicator() {
        this.contextRunner
            .withPropertyValues(this.host.pathProperty(), "management.health.rapace.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(RapaceHealthIndicator.class));
    }

    @Test
    void runWithoutPathShouldNotCreateIndicator() {
        this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(RapaceHealthIndicator.class));
    }

    @Test
    void runWithoutHealthModuleShouldNotCreateIndicator() {
        this.contextRunner.withPropertyValues(this.host.pathProperty())
            .withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
            .run((context) -> assertThat(context).doesNotHaveBean("rapaceHealthIndicator"));
    }

    @Test
    void runWithUserIndicatorShouldBackOff() {
        HealthIndicator custom = () -> Health.up().build();
        this.contextRunner.withPropertyValues(this.host.pathProperty())
            .withBean("rapaceHealthIndicator", HealthIndicator.class, () -> custom)
            .run((context) -> {
                assertThat(context).doesNotHaveBean(RapaceHealthIndicator.class);
                assertThat(context).getBean("rapaceHealthIndicator").isSameAs(custom);
            });
    }
}
