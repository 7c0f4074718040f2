package io.rapace.spring.boot.host.autoconfigure;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.rapace.spring.boot.host.RapacePlugins;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/** The meters of the supervised plugins (a {@link MeterBinder}, bound to every registry by Spring Boot). */
@AutoConfiguration(after = RapacePluginsAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(RapacePlugins.class)
public final class RapacePluginsMetricsAutoConfiguration {

    RapacePluginsMetricsAutoConfiguration() {
    }

    @Bean
    MeterBinder rapacePluginsMeters(RapacePlugins plugins) {
        return new RapacePluginsMeters(plugins);
    }
}
