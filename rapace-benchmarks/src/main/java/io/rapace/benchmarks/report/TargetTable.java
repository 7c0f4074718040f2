package io.rapace.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.DoubleStream;

import io.rapace.benchmarks.report.Target.Comparison;
import io.rapace.benchmarks.report.Target.Figure;
import io.rapace.benchmarks.report.Target.Limit;
import io.rapace.benchmarks.report.Target.TimesRow;

/**
 * The performance issue's targets judged against one comparison run: for each, the row of the run that measures it,
 * the figure, the bound and whether the figure meets it. {@code rapace-benchmarks/compare} prints it under the table
 * of {@code docs/BENCHMARKS.md}, so that the verdicts come from the same run as the table, never from memory.
 *
 * <pre>
 * java -cp rapace-benchmarks.jar io.rapace.benchmarks.report.TargetTable RESULTS_FILE [--idle-seconds=S]
 *      [--probes=PROBES_FILE]
 * </pre>
 *
 * <p>{@code RESULTS_FILE} holds the run's {@code RESULT} lines (other lines are skipped); {@code --idle-seconds} is the
 * run's idle period, named in the text when it is not the 10 s the issue measures after; {@code --probes} the C pair
 * probed beside each row ({@link ReferenceProbes}). Prints Markdown.
 */
public final class TargetTable {

    /** The busy-polling C reference pair: what the ratios of targets 1 and 2 are taken against. */
    static final String REFERENCE_PAIR = "ref-host-ref-plugin";

    /** The idle period after which the issue measures a first call. */
    static final double ISSUE_IDLE_SECONDS = 10;

    /**
     * What the names of a row's extra launches start with, after the row's name: {@code compare} launches the plugin of
     * a start-up target's row a few more times, each launch answering one call, so that the figure is the median of
     * several launches and not one sample of a VM whose speed changes within minutes.
     */
    static final String EXTRA_LAUNCH = "/start";

    /** The issue's targets, in its order; each names the row of the comparison that measures it. */
    static final List<Target> TARGETS = List.of(
            new Target("1a", "Spring sample plugin, plain `java -jar`, under the busy-polling C host: p50",
                    "ref-host-spring-jar", Figure.P50, new TimesRow(2, REFERENCE_PAIR), "equal"),
            new Target("1b", "the same: p99", "ref-host-spring-jar", Figure.P99, atMost(100), "10 µs"),
            new Target("1c", "the same: idle CPU of the plugin", "ref-host-spring-jar", Figure.IDLE_CPU, below(1),
                    null),
            new Target("1d", "the same: first call after idle", "ref-host-spring-jar", Figure.FIRST_AFTER_IDLE,
                    atMost(5_000), null),
            new Target("2a", "Java `RapaceHost` typed proxy -> fast-launched Spring plugin, wake extension: p50",
                    "java-host-spring-fast-x1", Figure.P50, new TimesRow(2, REFERENCE_PAIR), "equal"),
            new Target("2b", "the same: p99", "java-host-spring-fast-x1", Figure.P99, atMost(50), null),
            new Target("2c", "the same: idle CPU of the plugin process", "java-host-spring-fast-x1", Figure.IDLE_CPU,
                    atMost(0.2), null),
            new Target("2c", "the same: idle CPU of the host process", "java-host-spring-fast/host-idle",
                    Figure.IDLE_CPU, atMost(0.2), null),
            new Target("2d", "the same: first call after idle", "java-host-spring-fast-x1", Figure.FIRST_AFTER_IDLE,
                    atMost(100), "50 µs"),
            new Target("2e", "the same, 8 callers: typed calls per second", "java-host-spring-fast-x8",
                    Figure.CALLS_PER_SECOND, atLeast(100_000), null),
            new Target("3", "server stream of 60 KiB items, end to end", "bulk-stream-60k",
                    Figure.GIGABYTES_PER_SECOND, atLeast(2), null),
            new Target("4a", "start-up, launch to first answer: plain `java -jar` under the busy-polling C host",
                    "ref-host-spring-jar", Figure.STARTUP, atMost(6_000), null),
            new Target("4b", "start-up: the fast launch `target/sample-plugin-app`, from a Java host",
                    "java-host-spring-fast-x1", Figure.STARTUP, atMost(2_500), "1,000 ms"),
            new Target("4c", "start-up: a plain-Java `RapacePlugin` under the C host", "ref-host-plain-java",
                    Figure.STARTUP, atMost(500), null));

    private TargetTable() {
    }

    private static Limit atMost(double limit) {
        return new Limit(Comparison.AT_MOST, limit);
    }

    private static Limit below(double limit) {
        return new Limit(Comparison.BELOW, limit);
    }

    private static Limit atLeast(double limit) {
        return new Limit(Comparison.AT_LEAST, limit);
    }

    /** How one target fared in a run: the cells of its line in the table. */
    record Outcome(Target target, String measured, Verdict verdict) {
    }

    /** A target's verdict in one run. */
    enum Verdict {
        MET("met"),
        NOT_MET("**not met**"),
        NOT_IN_RUN("not in this run"),
        NO_REFERENCE("no " + REFERENCE_PAIR + " row in this run"),
        /** A p50 whose ratio to the reference row and to the C pair probed beside it give different answers. */
        STATES_DIFFER("**undecided**: the C pair probed beside the row answers otherwise (the VM changed state)");

        private final String text;

        Verdict(String text) {
            this.text = text;
        }

        String text() {
            return this.text;
        }

        static Verdict of(boolean met) {
            return met ? MET : NOT_MET;
        }
    }

    /** Judges every target against {@code lines}, one run's {@code RESULT} lines. */
    static List<Outcome> judge(List<ResultLine> lines) {
        return judge(lines, ReferenceProbes.NONE);
    }

    /**
     * Judges every target against {@code lines}; a ratio to the reference row is also given against the C pair probed
     * right before and after the row's contender, where {@code probes} has them: the verdict is the reference row's
     * where both probes agree with it, and {@link Verdict#STATES_DIFFER} where one does not.
     */
    static List<Outcome> judge(List<ResultLine> lines, ReferenceProbes probes) {
        Map<String, ResultLine> rows = new LinkedHashMap<>();
        lines.forEach(line -> rows.put(line.name(), line));
        return TARGETS.stream().map(target -> judge(target, rows, lines, probes)).toList();
    }

    private static Outcome judge(Target target, Map<String, ResultLine> rows, List<ResultLine> lines,
            ReferenceProbes probes) {
        ResultLine line = rows.get(target.row());
        OptionalDouble figure = line == null ? OptionalDouble.empty() : line.figure(target.figure().key());
        if (figure.isEmpty()) {
            return new Outcome(target, "-", Verdict.NOT_IN_RUN);
        }
        double measured = figure.getAsDouble();
        String text = target.figure().format(measured);
        if (target.figure() == Figure.STARTUP) {
            double[] launches = launches(target.row(), measured, lines);
            if (launches.length > 1) {
                measured = launches[launches.length / 2];
                text = String.format(Locale.ROOT, "%s, the median of %d launches (%s to %s)",
                        target.figure().format(measured), launches.length, target.figure().format(launches[0]),
                        target.figure().format(launches[launches.length - 1]));
            }
        }
        return switch (target.bound()) {
            case Limit limit -> new Outcome(target, text, Verdict.of(limit.holds(measured)));
            case TimesRow times -> againstReference(target, times, measured, text, rows, probes);
        };
    }

    /**
     * The start-up figures of {@code row}'s launches, sorted: the row's own ({@code measured}) and its extra launches'
     * (the lines named {@code row + "/start…"} that have one). Their median is the middle one, the higher of the two
     * middle ones for an even count (a launch that failed leaves one out).
     */
    private static double[] launches(String row, double measured, List<ResultLine> lines) {
        return DoubleStream.concat(DoubleStream.of(measured), lines.stream()
                .filter(line -> line.name().startsWith(row + EXTRA_LAUNCH))
                .map(line -> line.figure(Figure.STARTUP.key()))
                .filter(OptionalDouble::isPresent)
                .mapToDouble(OptionalDouble::getAsDouble)).sorted().toArray();
    }

    /**
     * A target bounded by a multiple of the reference row's figure: the ratio to it, and, for a p50, to the C pair
     * probed beside the row; no verdict without the reference row.
     */
    private static Outcome againstReference(Target target, TimesRow times, double measured, String text,
            Map<String, ResultLine> rows, ReferenceProbes probes) {
        OptionalDouble reference = times.reference(target.figure(), rows);
        String ratio = reference.isPresent() && reference.getAsDouble() > 0
                ? String.format(Locale.ROOT, ": %.2f× the reference's %s", measured / reference.getAsDouble(),
                        target.figure().format(reference.getAsDouble()))
                : "";
        Optional<ReferenceProbes.Probe> probe = target.figure() != Figure.P50 ? Optional.empty()
                : probes.around(target.row()).filter(ReferenceProbes.Probe::complete);
        String beside = probe.map(p -> besideText(measured, p)).orElse("");
        if (reference.isEmpty()) {
            return new Outcome(target, text + ratio + beside, Verdict.NO_REFERENCE);
        }
        boolean met = times.holds(measured, reference.getAsDouble());
        // The reference row ran minutes apart from this one: where the C pair probed right beside this row answers
        // otherwise, the VM changed state between them, and the ratio to the reference row says nothing.
        boolean probesAgree = probe.map(p -> times.holds(measured, p.before()) == met
                && times.holds(measured, p.after()) == met).orElse(true);
        return new Outcome(target, text + ratio + beside, probesAgree ? Verdict.of(met) : Verdict.STATES_DIFFER);
    }

    /** The ratio to the C pair probed before and after the row: the VM's state while the row ran. */
    private static String besideText(double measured, ReferenceProbes.Probe probe) {
        double low = measured / Math.max(probe.before(), probe.after());
        double high = measured / Math.min(probe.before(), probe.after());
        String ratio = String.format(Locale.ROOT, Math.abs(high - low) < 0.005 ? "%.2f×" : "%.2f-%.2f×", low, high);
        return String.format(Locale.ROOT, "; %s the C pair probed beside it (%.2f µs before, %.2f after)", ratio,
                probe.before(), probe.after());
    }

    /** The Markdown section: a heading, what the table is, the table. */
    static String markdown(List<Outcome> outcomes, double idleSeconds) {
        StringBuilder out = new StringBuilder();
        out.append("## The performance targets in this run\n\n");
        out.append("Each target of the performance issue against the row of the table above that measures it (written by\n");
        out.append("`io.rapace.benchmarks.report.TargetTable` from this run's `RESULT` lines). The idle rows' figures are the\n");
        out.append("medians of their idle periods; a start-up's, the median of the row's launch and the extra launches\n");
        out.append("made for it (rows `NAME/start`, one call each)");
        if (idleSeconds != ISSUE_IDLE_SECONDS) {
            out.append(String.format(Locale.ROOT, ", which lasted %s s here: the issue's first call after idle comes after"
                    + " %s s", plain(idleSeconds), plain(ISSUE_IDLE_SECONDS)));
        }
        out.append(".\nA p50's ratio is to the reference row of the run, the verdict's, and, where the comparison probed the\n");
        out.append("C pair right before and after the row, to those probes too: the VM changes state within minutes. Where a\n");
        out.append("probe and the reference row answer differently, the verdict is undecided: the two ran in different states.\n\n");
        out.append("| target | what | row | measured | bound | goal | verdict |\n");
        out.append("|---|---|---|---|---|---|---|\n");
        for (Outcome outcome : outcomes) {
            Target target = outcome.target();
            out.append("| ").append(target.number()).append(" | ").append(target.what()).append(" | `")
                    .append(target.row()).append("` | ").append(outcome.measured()).append(" | ")
                    .append(target.bound().text(target.figure())).append(" | ")
                    .append(target.goal() == null ? "" : target.goal()).append(" | ").append(outcome.verdict().text())
                    .append(" |\n");
        }
        return out.toString();
    }

    private static String plain(double seconds) {
        return seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
    }

    /** Reads the {@code RESULT} lines of {@code file}; other lines (a log's) are skipped. */
    static List<ResultLine> read(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .filter(line -> line.startsWith("RESULT "))
                .map(ResultLine::parse)
                .toList();
    }

    /** Prints the section for the run whose {@code RESULT} lines are in the file {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args[0].startsWith("--")) {
            System.err.println("usage: TargetTable RESULTS_FILE [--idle-seconds=S] [--probes=PROBES_FILE]");
            System.exit(2);
        }
        double idleSeconds;
        try {
            idleSeconds = Double.parseDouble(Objects.requireNonNull(
                    BenchResult.option(args, "idle-seconds", Double.toString(ISSUE_IDLE_SECONDS))));
        }
        catch (NumberFormatException ex) {
            System.err.println("TargetTable: --idle-seconds wants a number of seconds: " + ex.getMessage());
            System.exit(2);
            return;
        }
        String probesFile = BenchResult.option(args, "probes", null);
        try {
            ReferenceProbes probes = probesFile == null ? ReferenceProbes.NONE : ReferenceProbes.read(Path.of(probesFile));
            System.out.print(markdown(judge(read(Path.of(args[0])), probes), idleSeconds));
        }
        catch (NoSuchFileException ex) {
            System.err.println("TargetTable: no such file " + ex.getFile());
            System.exit(2);
        }
        catch (IllegalArgumentException ex) {
            System.err.println("TargetTable: " + ex.getMessage());
            System.exit(2);
        }
    }
}
