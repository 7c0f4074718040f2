package io.rapace.spring.boot.host.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.env.Environment;

/**
 * Reads each plugin's properties from the environment: {@code rapace.plugin-defaults.*} first, then the plugin's own
 * {@code rapace.plugins.<name>.*} over them (lists replaced, maps merged).
 */
final class PluginPropertiesResolver {

    static final String PLUGINS = "rapace.plugins";

    static final String DEFAULTS = "rapace.plugin-defaults";

    private PluginPropertiesResolver() {
    }

    /** The names declared under {@code rapace.plugins}, in declaration order. */
    static Set<String> names(Environment environment) {
        return Binder.get(environment)
            .bind(PLUGINS, Bindable.mapOf(String.class, PluginProperties.class))
            .map(Map::keySet)
            .orElse(Set.of());
    }

    /** Plugin {@code name}'s own properties, without the defaults (unset ones keep their initial values). */
    static PluginProperties own(Environment environment, String name) {
        PluginProperties properties = new PluginProperties();
        Binder.get(environment).bind(ConfigurationPropertyName.of(PLUGINS).append(name),
                Bindable.ofInstance(properties));
        return properties;
    }

    /** Every declared plugin's properties, defaults applied. */
    static Map<String, PluginProperties> resolve(Environment environment) {
        Binder binder = Binder.get(environment);
        Map<String, PluginProperties> resolved = new LinkedHashMap<>();
        for (String name : names(environment)) {
            PluginProperties properties = new PluginProperties();
            binder.bind(DEFAULTS, Bindable.ofInstance(properties));
            binder.bind(ConfigurationPropertyName.of(PLUGINS).append(name), Bindable.ofInstance(properties));
            resolved.put(name, properties);
        }
        return resolved;
    }
}
