package io.rapace.spring.boot.autoconfigure.operations;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rapace.core.operations.HealthComponent;
import io.rapace.core.operations.MeterReading;
import io.rapace.core.operations.PluginHealth;
import io.rapace.core.operations.RapaceOperations;
import io.rapace.core.operations.SessionOperations;
import io.rapace.core.service.ClientOptions;
import io.rapace.core.service.RapaceClients;
import io.rapace.core.session.RpcSession;
import io.rapace.spring.boot.autoconfigure.HostSegment;
import io.rapace.spring.boot.autoconfigure.RapaceAutoConfiguration;
import io.rapace.spring.boot.autoconfigure.health.RapaceHealthContributorAutoConfiguration;
import io.rapace.spring.boot.autoconfigure.metrics.RapaceMetricsAutoConfiguration;
import io.rapace.spring.boot.operations.ApplicationOperations;
import io.rapace.testsupport.logging.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** A host reads a Spring plugin's health and meters with an ordinary call over a real segment. */
class RapaceOperationsAutoConfigurationTests {

    // Contexts without a segment or without services log warnings on purpose: captured, not printed.
    @RegisterExtension
    final LogCapture logs = LogCapture.of("io.rapace");

    private final ApplicationContextRunner contextRunner = HostSegment
        .contextRunner(RapaceAutoConfiguration.class, RapaceOperationsAutoConfiguration.class)
        .withConfiguration(AutoConfigurations.of(HealthContributorAutoConfiguration.class,
                HealthContributorRegistryAutoConfiguration.class, RapaceHealthContributorAutoConfiguration.class,
                MetricsAutoConfiguration.class, RapaceMetricsAutoConfiguration.class))
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new);

    @RegisterExtension
    final HostSegment host = new HostSegment();

    @Test
    void theHostReadsEveryHealthComponentAndTheMetersOverTheSession() {
        this.contextRunner.withPropertyValues(this.host.pathProperty())
            .withBean("inventoryHealthIndicator", HealthIndicator.class,
                    () -> () -> Health.outOfService().withDetail("reason", "stock-taking").build())
            .run((context) -> {
                assertThat(context).hasSingleBean(ApplicationOperations.class);
                RapaceOperations operations = operationsOf(this.host.serve());
                PluginHealth health = operations.health();
                assertThat(health.status()).isEqualTo("OUT_OF_SERVICE");
                assertThat(health.components()).extracting(HealthComponent::name).contains("inventory", "rapace");
                assertThat(health.component("inventory")).hasValueSatisfying((component) -> assertThat(
                        component.details()).containsEntry("reason", "stock-taking"));
                assertThat(health.component("rapace")).hasValueSatisfying((component) -> {
                    assertThat(component.status()).isEqualTo("UP");
                    assertThat(component.details()).containsEntry("state", "OPEN");
                });
                List<MeterReading> frames = operations.metrics("rapace.frames");
                assertThat(frames).filteredOn((reading) -> reading.tags().equals(Map.of("direction", "receive")))
                    .singleElement()
                    .satisfies((reading) -> assertThat(reading.value()).isGreaterThanOrEqualTo(1));
            });
    }

    @Test
    void withoutHealthAndMicrometerTheSessionStillAnswers() {
        HostSegment.contextRunner(RapaceAutoConfiguration.class, RapaceOperationsAutoConfiguration.class)
            .withClassLoader(new FilteredClassLoader("org.springframework.boot.health", "io.micrometer"))
            .withPropertyValues(this.host.pathProperty())
            .run((context) -> {
                RapaceOperations operations = operationsOf(this.host.serve());
                PluginHealth health = operations.health();
                assertThat(health.status()).isEqualTo("UP");
                assertThat(health.components()).extracting(HealthComponent::name)
                    .containsExactly(SessionOperations.COMPONENT);
                assertThat(operations.metrics("rapace.slots.count")).singleElement()
                    .satisfies((reading) -> assertThat(reading.value()).isEqualTo(HostSegment.CONFIG.slotCount()));
            });
    }

    @Test
    void canBeSwitchedOffAndBacksOffForTheApplicationsOwn() {
        this.contextRunner.withPropertyValues(this.host.pathProperty(), "rapace.operations.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(RapaceOperations.class));
        this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(RapaceOperations.class));
    }

    private static RapaceOperations operationsOf(RpcSession hostSession) {
        return RapaceClients.create(RapaceOperations.class, hostSession,
                ClientOptions.defaults().withTimeout(Duration.ofSeconds(30)));
    }
}
