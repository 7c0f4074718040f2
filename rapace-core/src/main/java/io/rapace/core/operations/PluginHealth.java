package io.rapace.core.operations;

import java.util.List;
import java.util.Optional;

/**
 * A plugin's health: the aggregate status ({@code UP}, {@code DOWN}, {@code OUT_OF_SERVICE} or {@code UNKNOWN},
 * as Spring Boot names them) and its components in name order.
 *
 * @param status the worst status among the components ({@code UNKNOWN} when there is none)
 * @param components every component, a nested one named by its path ({@code "db/primary"})
 */
public record PluginHealth(String status, List<HealthComponent> components) {

    /** Copies the list. */
    public PluginHealth {
        components = List.copyOf(components);
    }

    /** The component named {@code name}, if the plugin has it (the session's is {@code "rapace"}). */
    public Optional<HealthComponent> component(String name) {
        return this.components.stream().filter(component -> component.name().equals(name)).findFirst();
    }
}
