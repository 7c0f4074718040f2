package io.rapace.spring.boot.autoconfigure.operations;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.rapace.core.operations.HealthComponent;
import io.rapace.core.operations.MeterReading;
import io.rapace.core.operations.RapaceOperations;
import io.rapace.core.operations.SessionOperations;
import io.rapace.spring.boot.RapaceSessionLifecycle;
import io.rapace.spring.boot.autoconfigure.RapaceAutoConfiguration;
import io.rapace.spring.boot.operations.ApplicationOperations;
import io.rapace.spring.boot.operations.HealthContributorsReader;
import io.rapace.spring.boot.operations.MeterRegistryReader;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.util.ClassUtils;

/**
 * Auto-configuration that serves {@link RapaceOperations} beside the application's services, so that the host
 * reads the plugin's health and meters with an ordinary call ({@code docs/operations.md}). Active with a running
 * session, unless the application serves its own {@code RapaceOperations} or sets
 * {@code rapace.operations.enabled=false}.
 */
@AutoConfiguration(after = RapaceAutoConfiguration.class,
        afterName = { "org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnBean(RapaceSessionLifecycle.class)
@ConditionalOnBooleanProperty(name = "rapace.operations.enabled", matchIfMissing = true)
public final class RapaceOperationsAutoConfiguration {

    private static final ClassLoader CLASS_LOADER = RapaceOperationsAutoConfiguration.class.getClassLoader();

    private static final boolean HEALTH_PRESENT = ClassUtils
        .isPresent("org.springframework.boot.health.registry.HealthContributorRegistry", CLASS_LOADER);

    private static final boolean MICROMETER_PRESENT = ClassUtils
        .isPresent("io.micrometer.core.instrument.MeterRegistry", CLASS_LOADER);

    RapaceOperationsAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean(RapaceOperations.class)
    ApplicationOperations rapaceOperations(ObjectProvider<RapaceSessionLifecycle> lifecycle,
            ApplicationContext context) {
        SessionOperations session = new SessionOperations(() -> {
            RapaceSessionLifecycle current = lifecycle.getIfAvailable();
            return (current != null) ? current.lastSession() : null;
        });
        return new ApplicationOperations(session, HEALTH_PRESENT ? Health.reader(context) : null,
                MICROMETER_PRESENT ? Meters.reader(context) : null);
    }

    /** Touches Spring Boot health types only when they are on the class path. */
    private static final class Health {

        static Supplier<List<HealthComponent>> reader(ApplicationContext context) {
            return new HealthContributorsReader(context.getBeanProvider(HealthContributorRegistry.class));
        }

    }

    /** Touches Micrometer types only when it is on the class path. */
    private static final class Meters {

        static Function<String, @Nullable List<MeterReading>> reader(ApplicationContext context) {
            return new MeterRegistryReader(context.getBeanProvider(MeterRegistry.class));
        }

    }

}
