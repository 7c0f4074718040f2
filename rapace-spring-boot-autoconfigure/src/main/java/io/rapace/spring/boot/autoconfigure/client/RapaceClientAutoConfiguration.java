package io.rapace.spring.boot.autoconfigure.client;

import io.rapace.spring.boot.RapaceSessionLifecycle;
import io.rapace.spring.boot.autoconfigure.RapaceAutoConfiguration;
import io.rapace.spring.boot.client.RapaceClientFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of a {@link RapaceClientFactory} whose clients call the host through the running
 * {@link RapaceSessionLifecycle}.
 */
@AutoConfiguration(after = RapaceAutoConfiguration.class)
@ConditionalOnBean(RapaceSessionLifecycle.class)
public final class RapaceClientAutoConfiguration {

    RapaceClientAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    RapaceClientFactory rapaceClientFactory(RapaceSessionLifecycle lifecycle) {
        return new RapaceClientFactory(lifecycle::session);
    }
}
