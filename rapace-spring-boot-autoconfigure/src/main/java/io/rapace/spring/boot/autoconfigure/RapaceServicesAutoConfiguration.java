package io.rapace.spring.boot.autoconfigure;

import io.rapace.core.service.RapaceService;
import io.rapace.spring.boot.RapaceServiceBeans;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration that finds the {@link RapaceService} beans and checks every service definition once all
 * singletons exist, whether or not a segment path is configured: a mistake in a service interface (a type
 * without a postcard form, two methods with one wire id) fails the application's start, and so every
 * {@code @SpringBootTest}, instead of surfacing only when a host connects.
 */
@AutoConfiguration(after = RapaceServiceScanAutoConfiguration.class)
public final class RapaceServicesAutoConfiguration {

    RapaceServicesAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    static RapaceServiceBeans rapaceServiceBeans(ListableBeanFactory beanFactory) {
        return new RapaceServiceBeans(beanFactory);
    }

    @Bean
    static SmartInitializingSingleton rapaceServiceDefinitionCheck(RapaceServiceBeans services) {
        return services::definitions;
    }
}
