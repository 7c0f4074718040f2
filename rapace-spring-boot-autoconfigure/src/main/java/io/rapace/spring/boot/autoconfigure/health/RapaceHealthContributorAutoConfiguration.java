package io.rapace.spring.boot.autoconfigure.health;

import io.rapace.spring.boot.RapaceSessionLifecycle;
import io.rapace.spring.boot.autoconfigure.RapaceAutoConfiguration;
import io.rapace.spring.boot.health.RapaceHealthIndicator;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code rapace} {@link RapaceHealthIndicator}. Active when Spring Boot health is on
 * the class path and the rapace session is configured; off with {@code management.health.rapace.enabled=false}.
 * The property condition sits on the {@code @Bean} method, not on the class: the class-level
 * {@code @ConditionalOnClass} must rule the class out before that condition's class is loaded.
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
