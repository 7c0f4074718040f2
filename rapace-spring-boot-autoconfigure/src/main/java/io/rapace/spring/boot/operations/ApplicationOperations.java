package io.rapace.spring.boot.operations;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import io.rapace.core.operations.HealthComponent;
import io.rapace.core.operations.MeterReading;
import io.rapace.core.operations.PluginHealth;
import io.rapace.core.operations.RapaceOperations;
import io.rapace.core.operations.SessionOperations;
import org.jspecify.annotations.Nullable;

/**
 * {@link RapaceOperations} of a Spring Boot plugin: health from the application's health contributors (every
 * indicator, nested ones named by their path, the {@code rapace} one included; {@link HealthContributorsReader})
 * and meters from its meter registry ({@link MeterRegistryReader}). What the application lacks (Spring Boot health
 * or Micrometer not on the class path, or no registry bean) is answered from the session
 * ({@link SessionOperations}), so the host always sees the {@code rapace} component and the session's meters.
 */
public final class ApplicationOperations implements RapaceOperations {

    /** Worst first, as Spring Boot's default status aggregator orders them; a custom status ranks with UP. */
    private static final List<String> SEVERITY = List.of("DOWN", "OUT_OF_SERVICE", "UP", "UNKNOWN");

    private final SessionOperations session;

    private final @Nullable Supplier<List<HealthComponent>> health;

    private final @Nullable Function<String, @Nullable List<MeterReading>> meters;

    /**
     * Operations over {@code session}, the application's health components and its meters (each source may be
     * absent, and the meter source may answer null when it has no registry).
     */
    public ApplicationOperations(SessionOperations session, @Nullable Supplier<List<HealthComponent>> health,
            @Nullable Function<String, @Nullable List<MeterReading>> meters) {
        this.session = session;
        this.health = health;
        this.meters = meters;
    }

    @Override
    public PluginHealth health() {
        List<HealthComponent> components = new ArrayList<>();
        if (this.health != null) {
            components.addAll(this.health.get());
        }
        if (components.stream().noneMatch((component) -> component.name().equals(SessionOperations.COMPONENT))) {
            components.add(this.session.component());
        }
        components.sort(Comparator.comparing(HealthComponent::name));
        return new PluginHealth(aggregate(components), components);
    }

    @Override
    public List<MeterReading> metrics(String namePrefix) {
        List<MeterReading> readings = (this.meters != null) ? this.meters.apply(namePrefix) : null;
        return (readings != null) ? readings : this.session.metrics(namePrefix);
    }

    private static String aggregate(List<HealthComponent> components) {
        String worst = "UNKNOWN";
        for (HealthComponent component : components) {
            if (rank(component.status()) < rank(worst)) {
                worst = component.status();
            }
        }
        return worst;
    }

    private static int rank(String status) {
        int index = SEVERITY.indexOf(status);
        return (index >= 0) ? index : 2;
    }
}
