package io.rapace.spring.boot.host.autoconfigure;

import java.beans.Introspector;
import java.util.Map;

import io.rapace.spring.boot.host.RapacePlugins;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.env.Environment;

/**
 * Registers one client bean per interface listed in {@code rapace.plugins.<name>.clients}, named
 * {@code <name>.<interface, decapitalised>} (e.g. {@code calculator.calculator}) and qualified by the plugin's
 * name, so {@code @Qualifier("calculator") Calculator calculator} injects it (the qualifier is needed only when two
 * plugins serve the same interface).
 */
final class RapacePluginClientsRegistrar implements BeanDefinitionRegistryPostProcessor {

    private final Environment environment;

    RapacePluginClientsRegistrar(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
        if (!(registry instanceof BeanFactory beanFactory)) {
            return;
        }
        for (Map.Entry<String, PluginProperties> plugin : PluginPropertiesResolver.resolve(this.environment).entrySet()) {
            String name = plugin.getKey();
            for (Class<?> type : plugin.getValue().getClients()) {
                register(registry, beanFactory, name, type);
            }
        }
    }

    private static <T> void register(BeanDefinitionRegistry registry, BeanFactory beanFactory, String plugin,
            Class<T> type) {
        if (!type.isInterface()) {
            throw new IllegalArgumentException("rapace.plugins." + plugin + ".clients lists " + type.getName()
                    + ", which is not an interface: list the plugin's service interfaces");
        }
        RootBeanDefinition definition = new RootBeanDefinition(type,
                () -> beanFactory.getBean(RapacePlugins.class).supervisor(plugin).client(type));
        definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, plugin));
        registry.registerBeanDefinition(plugin + "." + Introspector.decapitalize(type.getSimpleName()), definition);
    }
}
