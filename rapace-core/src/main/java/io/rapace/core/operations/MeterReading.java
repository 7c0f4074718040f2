package io.rapace.core.operations;

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

    /** Copies the tags into key order. */
    public MeterReading {
        tags = java.util.Collections.unmodifiableMap(new TreeMap<>(tags));
    }
}
