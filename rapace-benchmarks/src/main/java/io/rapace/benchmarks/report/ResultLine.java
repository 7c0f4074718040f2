package io.rapace.benchmarks.report;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One {@code RESULT} line read back ({@link BenchResult} writes them, so do the C peer and the comparison peers):
 * the row's name and its figures by key ({@code p50_us}, {@code idle_cpu_pct}, ...); a {@code -} figure does not
 * apply and is absent.
 *
 * @param name the row's name, e.g. {@code ref-host-spring-jar}
 * @param figures the figures that apply, by key, in the line's order
 */
public record ResultLine(String name, Map<String, Double> figures) {

    /** A copy of {@code figures}, so that the line cannot change after it was read. */
    public ResultLine {
        figures = Map.copyOf(figures);
    }

    /**
     * Reads one line {@code RESULT name=N key=value ...}.
     *
     * @throws IllegalArgumentException naming what is wrong: not a {@code RESULT} line, no name, a field without
     *         {@code =}, a figure that is neither a number nor {@code -}
     */
    public static ResultLine parse(String line) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length < 2 || !fields[0].equals("RESULT") || !fields[1].startsWith("name=")
                || fields[1].length() == "name=".length()) {
            throw new IllegalArgumentException("not a RESULT line (RESULT name=N key=value ...): " + line);
        }
        Map<String, Double> figures = new LinkedHashMap<>();
        for (int i = 2; i < fields.length; i++) {
            int equals = fields[i].indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("field '" + fields[i] + "' is not key=value in: " + line);
            }
            String key = fields[i].substring(0, equals);
            String value = fields[i].substring(equals + 1);
            if (value.equals("-")) {
                continue;
            }
            try {
                figures.put(key, Double.parseDouble(value));
            }
            catch (NumberFormatException ex) {
                throw new IllegalArgumentException("figure " + key + "='" + value + "' is neither a number nor '-' in: "
                        + line, ex);
            }
        }
        return new ResultLine(fields[1].substring("name=".length()), figures);
    }

    /** The figure under {@code key}, or empty where the row has none (a {@code -}, or no such key). */
    public OptionalDouble figure(String key) {
        Double value = this.figures.get(key);
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }
}
