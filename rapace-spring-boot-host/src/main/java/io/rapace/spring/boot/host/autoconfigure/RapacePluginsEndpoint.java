package io.rapace.spring.boot.host.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.rapace.spring.boot.host.PluginSupervisor;
import io.rapace.spring.boot.host.RapacePlugins;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The actuator endpoint {@code rapacePlugins}: {@code GET /actuator/rapacePlugins} lists every plugin with its
 * status, {@code GET /actuator/rapacePlugins/{name}} one, {@code POST /actuator/rapacePlugins/{name}} restarts it
 * (a running incarnation is stopped and the next starts at once; a plugin that was given up starts again).
 */
@Endpoint(id = "rapacePlugins")
public final class RapacePluginsEndpoint {

    private final RapacePlugins plugins;

    /** The endpoint of {@code plugins}. */
    public RapacePluginsEndpoint(RapacePlugins plugins) {
        this.plugins = plugins;
    }

    /** Every plugin's status, by name. */
    @ReadOperation
    public Map<String, Map<String, Object>> plugins() {
        Map<String, Map<String, Object>> all = new LinkedHashMap<>();
        for (PluginSupervisor supervisor : this.plugins.supervisors()) {
            all.put(supervisor.definition().name(), PluginStatusDetails.of(supervisor.status()));
        }
        return all;
    }

    /** One plugin's status. */
    @ReadOperation
    public Map<String, Object> plugin(@Selector String name) {
        return PluginStatusDetails.of(this.plugins.supervisor(name).status());
    }

    /** Restarts plugin {@code name} and returns its status afterwards. */
    @WriteOperation
    public Map<String, Object> restart(@Selector String name) {
        PluginSupervisor supervisor = this.plugins.supervisor(name);
        supervisor.restart();
        return PluginStatusDetails.of(supervisor.status());
    }
}
