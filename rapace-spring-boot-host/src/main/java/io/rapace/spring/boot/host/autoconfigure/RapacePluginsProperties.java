package io.rapace.spring.boot.host.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * The plugins a host application supervises: {@code rapace.plugins.<name>.*}, each defaulting to
 * {@code rapace.plugin-defaults.*} (which the configuration metadata describes property by property).
 */
@ConfigurationProperties("rapace")
public class RapacePluginsProperties {

    /** The supervised plugins by name; each takes the properties described under rapace.plugin-defaults. */
    private Map<String, PluginProperties> plugins = new LinkedHashMap<>();

    /** Defaults of every plugin under rapace.plugins; a plugin's own value wins. */
    @NestedConfigurationProperty
    private final PluginProperties pluginDefaults = new PluginProperties();

    public Map<String, PluginProperties> getPlugins() {
        return this.plugins;
    }

    public void setPlugins(Map<String, PluginProperties> plugins) {
        this.plugins = plugins;
    }

    public PluginProperties getPluginDefaults() {
        return this.pluginDefaults;
    }
}
