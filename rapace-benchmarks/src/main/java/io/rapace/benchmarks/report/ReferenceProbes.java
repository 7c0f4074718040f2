package io.rapace.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The C reference pair's own p50, probed by the comparison right before and right after each contender ran
 * ({@code probes.txt}: lines {@code NAME|BEFORE|AFTER}, microseconds, {@code -} for a probe that could not run). The VM
 * the project is measured on changes state within minutes, so a row's ratio to the reference row can mix two states;
 * the probes beside a row are the reference in the state the row ran in.
 *
 * @param byContender the probes by contender name, in the file's order
 */
record ReferenceProbes(Map<String, Probe> byContender) {

    /** The two probes around one contender; NaN for one that could not run. */
    record Probe(double before, double after) {

        /** Whether both probes ran. */
        boolean complete() {
            return !Double.isNaN(this.before) && !Double.isNaN(this.after);
        }
    }

    /** No probes: every row is judged against the reference row alone. */
    static final ReferenceProbes NONE = new ReferenceProbes(Map.of());

    /** A copy of {@code byContender}. */
    ReferenceProbes {
        byContender = Map.copyOf(byContender);
    }

    /**
     * Reads {@code file}.
     *
     * @throws IllegalArgumentException naming the line that is not {@code NAME|BEFORE|AFTER} with numbers or {@code -}
     */
    static ReferenceProbes read(Path file) throws IOException {
        Map<String, Probe> probes = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split("\\|", -1);
            if (fields.length != 3 || fields[0].isBlank()) {
                throw new IllegalArgumentException("probe line is not NAME|BEFORE|AFTER: " + line);
            }
            probes.put(fields[0], new Probe(micros(fields[1], line), micros(fields[2], line)));
        }
        return new ReferenceProbes(probes);
    }

    private static double micros(String field, String line) {
        if (field.equals("-") || field.isEmpty()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(field);
        }
        catch (NumberFormatException ex) {
            throw new IllegalArgumentException("probe '" + field + "' is neither a number nor '-' in: " + line, ex);
        }
    }

    /**
     * The probes around the contender that wrote {@code row}: the contender whose name is the row's name, or its
     * longest prefix followed by {@code -} or {@code /} ({@code java-host-spring-fast-x1} is
     * {@code java-host-spring-fast}'s).
     */
    Optional<Probe> around(String row) {
        String best = null;
        for (String contender : this.byContender.keySet()) {
            boolean owns = row.equals(contender) || row.startsWith(contender + "-") || row.startsWith(contender + "/");
            if (owns && (best == null || contender.length() > best.length())) {
                best = contender;
            }
        }
        return best == null ? Optional.empty() : Optional.of(this.byContender.get(best));
    }
}
