package io.rapace.spring.boot.host.autoconfigure;

import java.util.List;

import io.rapace.spring.boot.host.PluginDefinition;
import io.rapace.spring.boot.host.RapacePlugins;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Supervises the plugins declared under {@code rapace.plugins.<name>.*}: a {@link RapacePlugins} bean, its
 * {@link RapacePluginsLifecycle}, and client beans for the interfaces in {@code rapace.plugins.<name>.clients}.
 */
@AutoConfiguration
@ConditionalOnRapacePlugins
@EnableConfigurationProperties(RapacePluginsProperties.class)
public final class RapacePluginsAutoConfiguration {

    RapacePluginsAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    RapacePlugins rapacePlugins(Environment environment) {
        List<PluginDefinition> definitions = PluginPropertiesResolver.resolve(environment).entrySet().stream()
            .map((plugin) -> plugin.getValue().toDefinition(plugin.getKey(),
                    PluginPropertiesResolver.own(environment, plugin.getKey())))
            .toList();
        return new RapacePlugins(definitions);
    }

    @Bean
    @ConditionalOnMissingBean
    RapacePluginsLifecycle rapacePluginsLifecycle(RapacePlugins plugins) {
        return new RapacePluginsLifecycle(plugins);
    }

    @Bean
    static RapacePluginClientsRegistrar rapacePluginClientsRegistrar(Environment environment) {
        return new RapacePluginClientsRegistrar(environment);
    }
}
