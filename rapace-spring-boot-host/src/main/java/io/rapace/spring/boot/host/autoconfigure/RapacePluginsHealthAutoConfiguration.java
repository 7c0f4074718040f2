package io.rapace.spring.boot.host.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.rapace.spring.boot.host.PluginSupervisor;
import io.rapace.spring.boot.host.RapacePlugins;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/** The {@code rapacePlugins} health component: one child per plugin ({@code rapacePlugins/calculator}). */
@AutoConfiguration(after = RapacePluginsAutoConfiguration.class)
@ConditionalOnClass(CompositeHealthContributor.class)
@ConditionalOnBean(RapacePlugins.class)
public final class RapacePluginsHealthAutoConfiguration {

    RapacePluginsHealthAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean(name = "rapacePluginsHealthContributor")
    CompositeHealthContributor rapacePluginsHealthContributor(RapacePlugins plugins) {
        Map<String, HealthContributor> byPlugin = new LinkedHashMap<>();
        for (PluginSupervisor supervisor : plugins.supervisors()) {
            byPlugin.put(supervisor.definition().name(), new PluginHealthIndicator(supervisor));
        }
        return CompositeHealthContributor.fromMap(byPlugin);
    }
}
