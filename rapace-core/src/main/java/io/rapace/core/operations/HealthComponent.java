package io.rapace.core.operations;

import java.util.Map;
import java.util.TreeMap;

/**
 * One health component of a plugin.
 *
 * @param name the component's name ({@code "rapace"} for the session), a nested one as a path
 * @param status its status, as Spring Boot names it
 * @param details its details, each value as text, in key order
 */
public record HealthComponent(String name, String status, Map<String, String> details) {

    /** Copies the details into key order. */
    public HealthComponent {
        details = java.util.Collections.unmodifiableMap(new TreeMap<>(details));
    }
}
