package io.rapace.spring.boot.autoconfigure.metrics;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rapace.core.ErrorCode;
import io.rapace.core.service.MethodIds;
import io.rapace.core.service.RapaceClients;
import io.rapace.core.session.SessionOptions;
import io.rapace.spring.boot.RapaceSessionLifecycle;
import io.rapace.spring.boot.autoconfigure.HostSegment;
import io.rapace.spring.boot.autoconfigure.RapaceAutoConfiguration;
import io.rapace.spring.boot.autoconfigure.scan.ComponentEcho;
import io.rapace.spring.boot.autoconfigure.scan.TestEcho;
import io.rapace.spring.boot.metrics.RapaceMetrics;
import io.rapace.spring.boot.metrics.RapaceServerCallMetrics;
import io.rapace.testsupport.logging.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class RapaceMetricsAutoConfigurationTests {

    // Contexts without a segment or without services log warnings on purpose: captured, not printed.
    @RegisterExtension
    final LogCapture logs = LogCapture.of("io.rapace");

    private final ApplicationContextRunner contextRunner = HostSegment.contextRunner(RapaceAutoConfiguration.class,
            RapaceMetricsAutoConfiguration.class);

    @RegisterExtension
    final HostSegment host = new HostSegment();

    @Test
    void withRegistryBindsTransportMeters() {
        this.contextRunner.withPropertyValues(this.host.pathProperty())
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .run((context) -> {
                assertThat(context).hasSingleBean(RapaceMetrics.class);
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                context.getBean(RapaceMetrics.class).bindTo(registry);
                assertThat(registry.get("rapace.ring.capacity").gauge().value())
                    .isEqualTo(HostSegment.CONFIG.ringCapacity());
                assertThat(registry.get("rapace.slots.count").gauge().value())
                    .isEqualTo(HostSegment.CONFIG.slotCount());
                assertThat(registry.get("rapace.ring.occupancy").tag("direction", "send").gauge().value()).isZero();
                assertThat(registry.get("rapace.ring.occupancy").tag("direction", "receive").gauge()).isNotNull();
                assertThat(registry.get("rapace.slots.in.use").gauge()).isNotNull();
                assertThat(registry.get("rapace.peer.heartbeat.age").timeGauge()).isNotNull();
                assertThat(registry.get("rapace.frames").tag("direction", "send").functionCounter().count()).isZero();
                assertThat(registry.get("rapace.frames").tag("direction", "receive").functionCounter()).isNotNull();
                assertThat(registry.get("rapace.bytes").tag("direction", "send").functionCounter().getId().getBaseUnit())
                    .isEqualTo("bytes");
                assertThat(registry.get("rapace.frames.invalid").functionCounter().count()).isZero();
            });
    }

    @Test
    void metersFollowTheTransportAcrossARestartAndCountersNeverGoBack() {
        this.contextRunner.withPropertyValues(this.host.pathProperty())
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .run((context) -> {
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                context.getBean(RapaceMetrics.class).bindTo(registry);
                RapaceSessionLifecycle lifecycle = context.getBean(RapaceSessionLifecycle.class);
                this.host.serve(new ComponentEcho());
                assertThat(RapaceClients.create(TestEcho.class, lifecycle.session()).echo("one")).isEqualTo("one");
                double sentBefore = registry.get("rapace.frames").tag("direction", "send").functionCounter().count();
                assertThat(sentBefore).isPositive();
                lifecycle.stop();
                assertThat(registry.get("rapace.peer.heartbeat.age").timeGauge().value()).isNaN();
                lifecycle.start();
                assertThat(registry.get("rapace.ring.capacity").gauge().value())
                    .isEqualTo(HostSegment.CONFIG.ringCapacity());
                assertThat(RapaceClients.create(TestEcho.class, lifecycle.session()).echo("two")).isEqualTo("two");
                assertThat(registry.get("rapace.frames").tag("direction", "send").functionCounter().count())
                    .as("the totals of the transport before the restart are kept").isGreaterThan(sentBefore);
            });
    }

    @Test
    void withRegistryObservesServedCalls() {
        this.contextRunner.withPropertyValues(this.host.pathProperty())
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .run((context) -> {
                SessionOptions options = context.getBean(RapaceSessionLifecycle.class).session().options();
                assertThat(options.observer()).isSameAs(context.getBean(RapaceServerCallMetrics.class));
                options.observer().onServerCallCompleted(MethodIds.methodId("Nope", "nothing"), ErrorCode.UNIMPLEMENTED, 0);
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                assertThat(registry.get("rapace.server.calls")
                    .tags("service", "unknown", "method", "unknown", "outcome", "UNIMPLEMENTED")
                    .timer()
                    .count()).isEqualTo(1);
            });
    }

    @Test
    void withoutRegistryCreatesNoMeters() {
        this.contextRunner.withPropertyValues(this.host.pathProperty())
            .run((context) -> {
                assertThat(context).doesNotHaveBean(RapaceMetrics.class);
                assertThat(context).doesNotHaveBean(RapaceServerCallMetrics.class);
            });
    }

    @Test
    void withoutMicrometerCreatesNoMeters() {
        this.contextRunner.withPropertyValues(this.host.pathProperty())
            .withClassLoader(new FilteredClassLoader("io.micrometer.core"))
            .run((context) -> assertThat(context).doesNotHaveBean("rapaceMetrics"));
    }

    @Test
    void withoutPathCreatesNoMeters() {
        this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .run((context) -> assertThat(context).doesNotHaveBean(RapaceMetrics.class));
    }

    @Test
    void userDefinedMetricsBackOff() {
        this.contextRunner.withPropertyValues(this.host.pathProperty())
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withBean("customMetrics", RapaceMetrics.class,
                    () -> new RapaceMetrics(() -> null, List.of()))
            .run((context) -> assertThat(context).getBeanNames(RapaceMetrics.class).containsExactly("customMetrics"));
    }
}
