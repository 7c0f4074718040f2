package io.rapace.spring.boot.operations;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import io.rapace.core.operations.HealthComponent;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Reads every health indicator of the application, with details, as {@link HealthComponent}s; a nested indicator
 * is named by its path ({@code "db/primary"}). An indicator that throws is reported {@code DOWN} with the error.
 * Loaded only when Spring Boot health is on the class path.
 */
public final class HealthContributorsReader implements Supplier<List<HealthComponent>> {

    private final ObjectProvider<? extends HealthContributors> contributors;

    /**
     * A reader of the contributors {@code contributors} gives when asked (the application's health contributor
     * registry, looked up at each read: the registry depends on the rapace indicator, which depends on the
     * session this service is part of).
     */
    public HealthContributorsReader(ObjectProvider<? extends HealthContributors> contributors) {
        this.contributors = contributors;
    }

    /** Every indicator's health, or nothing when the application has no health contributor registry. */
    @Override
    public List<HealthComponent> get() {
        List<HealthComponent> components = new ArrayList<>();
        HealthContributors registry = this.contributors.getIfUnique();
        if (registry != null) {
            collect("", registry, components);
        }
        return components;
    }

    private static void collect(String prefix, HealthContributors contributors, List<HealthComponent> into) {
        for (HealthContributors.Entry entry : contributors) {
            String name = prefix + entry.name();
            HealthContributor contributor = entry.contributor();
            if (contributor instanceof HealthIndicator indicator) {
                into.add(component(name, indicator));
            }
            else if (contributor instanceof CompositeHealthContributor composite) {
                collect(name + "/", composite, into);
            }
        }
    }

    private static HealthComponent component(String name, HealthIndicator indicator) {
        Map<String, String> details = new TreeMap<>();
        String status;
        try {
            Health health = indicator.health(true);
            status = health.getStatus().getCode();
            health.getDetails().forEach((key, value) -> details.put(key, String.valueOf(value)));
        }
        catch (RuntimeException ex) {
            status = "DOWN";
            details.put("error", ex.getClass().getName() + ": " + ex.getMessage());
        }
        return new HealthComponent(name, status, details);
    }
}
