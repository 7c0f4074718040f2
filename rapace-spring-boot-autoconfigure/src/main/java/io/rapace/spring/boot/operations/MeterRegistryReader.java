package io.rapace.spring.boot.operations;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.rapace.core.operations.MeterReading;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Samples the meters of a {@link MeterRegistry} whose name starts with a prefix, one {@link MeterReading} per
 * statistic, sorted by name, tags and statistic. Loaded only when Micrometer is on the class path.
 */
public final class MeterRegistryReader implements Function<String, @Nullable List<MeterReading>> {

    private final ObjectProvider<MeterRegistry> registry;

    /** A reader of the registry {@code registry} gives when asked (looked up at each read). */
    public MeterRegistryReader(ObjectProvider<MeterRegistry> registry) {
        this.registry = registry;
    }

    /** The readings, or null when the application has no (unique or primary) meter registry. */
    @Override
    public @Nullable List<MeterReading> apply(String namePrefix) {
        MeterRegistry meters = this.registry.getIfUnique();
        if (meters == null) {
            return null;
        }
        List<MeterReading> readings = new ArrayList<>();
        for (Meter meter : meters.getMeters()) {
            Meter.Id id = meter.getId();
            if (!id.getName().startsWith(namePrefix)) {
                continue;
            }
            Map<String, String> tags = new TreeMap<>();
            for (Tag tag : id.getTagsAsIterable()) {
                tags.put(tag.getKey(), tag.getValue());
            }
            for (Measurement measurement : meter.measure()) {
                readings.add(new MeterReading(id.getName(), tags, measurement.getStatistic().name(),
                        measurement.getValue()));
            }
        }
        readings.sort(MeterReading.ORDER);
        return readings;
    }
}
