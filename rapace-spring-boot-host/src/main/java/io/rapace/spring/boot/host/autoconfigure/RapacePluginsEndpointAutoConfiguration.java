package io.rapace.spring.boot.host.autoconfigure;

import io.rapace.spring.boot.host.RapacePlugins;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The {@code rapacePlugins} actuator endpoint (expose it with {@code management.endpoints.web.exposure.include}). */
@AutoConfiguration(after = RapacePluginsAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(RapacePlugins.class)
public final class RapacePluginsEndpointAutoConfiguration {

    RapacePluginsEndpointAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    RapacePluginsEndpoint rapacePluginsEndpoint(RapacePlugins plugins) {
        return new RapacePluginsEndpoint(plugins);
    }
}
