package io.rapace.spring.boot.autoconfigure.metrics;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.rapace.core.service.RemoteMethod;
import io.rapace.spring.boot.RapaceServiceBeans;
import io.rapace.spring.boot.RapaceSessionLifecycle;
import io.rapace.spring.boot.autoconfigure.RapaceAutoConfiguration;
import io.rapace.spring.boot.autoconfigure.RapaceSessionOptionsCustomizer;
import io.rapace.spring.boot.metrics.RapaceMetrics;
import io.rapace.spring.boot.metrics.RapaceServerCallMetrics;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the rapace meters: {@link RapaceMetrics} over the segment that the session lifecycle opened (read at each sample, so they
 * follow a restart), and the
 * {@value RapaceServerCallMetrics#METER_NAME} timer of every served call (hooked into the session as its
 * observer). Active when Micrometer is on the class path and a {@link MeterRegistry} bean exists.
 */
@AutoConfiguration(after = RapaceAutoConfiguration.class,
        afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ RapaceSessionLifecycle.class, MeterRegistry.class })
public final class RapaceMetricsAutoConfiguration {

    RapaceMetricsAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    RapaceMetrics rapaceMetrics(RapaceSessionLifecycle lifecycle) {
        return new RapaceMetrics(lifecycle::transport, List.of());
    }

    @Bean
    @ConditionalOnMissingBean
    RapaceServerCallMetrics rapaceServerCallMetrics(MeterRegistry registry,
            ObjectProvider<RapaceServiceBeans> services) {
        RapaceServiceBeans beans = services.getIfAvailable();
        List<RemoteMethod> methods = (beans != null)
                ? beans.definitions().stream().flatMap((definition) -> definition.methods().stream()).toList()
                : List.of();
        return new RapaceServerCallMetrics(registry, methods);
    }

    @Bean
    @ConditionalOnMissingBean(name = "rapaceServerCallMetricsCustomizer")
    RapaceSessionOptionsCustomizer rapaceServerCallMetricsCustomizer(RapaceServerCallMetrics metrics) {
        return metrics::addTo;
    }
}
