package io.rapace.spring.boot.autoconfigure.health;

import io.rapace.spring.boot.autoconfigure.RapaceAutoConfiguration;
import io.rapace.spring.boot.autoconfigure.RapaceSessionLifecycle;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code rapace} {@link RapaceHealthIndicator}. Off with
 * {@code management.health.rapace.enabled=false}.
 */
@AutoConfiguration(after = RapaceAutoConfiguration.class)
@ConditionalOnClass(ConditionalOnEnabledHealthIndicator.class)
@ConditionalOnBean(RapaceSessionLifecycle.class)
public final class RapaceHealthContributorAutoConfiguration {

    RapaceHealthContributorAutoConfiguration() {
    }

    @Bean
    @ConditionalOnEnabledHealthIndicator("rapace")
    @ConditionalOnMissingBean(name = { "rapaceHealthIndicator", "rapaceHealthContributor" })
    RapaceHealthIndicator rapaceHealthIndicator(RapaceSessionLifecycle lifecycle) {
        return new RapaceHealthIndicator(lifecycle);
    }
}
