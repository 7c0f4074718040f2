package io.rapace.core.operations;

import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * One statistic of one meter, as sampled when the host asked.
 *
 * @param name the meter's name in Micrometer's dotted form ({@code "rapace.frames"})
 * @param tags its tags, in key order
 * @param statistic what the value is: {@code VALUE} (a gauge), {@code COUNT}, {@code TOTAL_TIME} (seconds),
 *     {@code MAX}, {@code TOTAL} …, Micrometer's statistic names
 * @param value the value, in the meter's base unit (seconds for times, bytes for sizes)
 */
public record MeterReading(String name, Map<String, String> tags, String statistic, double value) {

    /** The order readings are answered in (docs/operations.md): by name, then tags, then statistic. */
    public static final Comparator<MeterReading> ORDER = Comparator.comparing(MeterReading::name)
            .thenComparing(reading -> reading.tags().toString())
            .thenComparing(MeterReading::statistic);

    /** Copies the tags into key order. */
    public MeterReading {
        tags = java.util.Collections.unmodifiableMap(new TreeMap<>(tags));
    }
}
